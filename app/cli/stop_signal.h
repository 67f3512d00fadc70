// Ctrl-C during a job: the first press asks the job to stop cleanly (it saves a resumable model
// file); a second press ends the process at once.
#pragma once

namespace atelier::cli {

void install_stop_signal();
bool stop_requested();

}  // namespace atelier::cli
