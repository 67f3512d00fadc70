// Ctrl-C (or SIGTERM). During a job that polls stop_requested() (training, video-variations) the
// first press asks it to stop cleanly (it saves a resumable model file) and a second press ends
// the process at once. Every other command (eval, run, bench, ...) ends at the first press.
#pragma once

namespace atelier::cli {

void install_stop_signal();
// Called by a command that polls stop_requested(): from then on the first press only asks.
void enable_clean_stop();
bool stop_requested();

}  // namespace atelier::cli
