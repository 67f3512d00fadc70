#include "stop_signal.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace atelier::cli {
namespace {

std::atomic<int> g_presses{0};
std::atomic<bool> g_clean_stop{false};

extern "C" void on_interrupt(int signal_number) {
  if (!g_clean_stop.load() || g_presses.fetch_add(1) >= 1) std::_Exit(128 + signal_number);
  static const char message[] = "\nstopping after this step (Ctrl-C again to quit at once)\n";
  [[maybe_unused]] auto n = write(STDERR_FILENO, message, sizeof(message) - 1);
}

}  // namespace

void install_stop_signal() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void enable_clean_stop() {
  g_clean_stop.store(true);
}

bool stop_requested() { return g_presses.load() > 0; }

}  // namespace atelier::cli
