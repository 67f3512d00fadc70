#include "app_resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initAtelierQrc() {
  Q_INIT_RESOURCE(atelier);
}

namespace atelier::ui {

void initAppResources() {
  static const bool done = (initAtelierQrc(), true);
  Q_UNUSED(done);
}

}  // namespace atelier::ui
