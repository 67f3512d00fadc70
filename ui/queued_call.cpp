#include "queued_call.h"

namespace atelier::ui::detail {

std::mutex& queuedCallOrder() {
  static std::mutex order;
  return order;
}

}  // namespace atelier::ui::detail
