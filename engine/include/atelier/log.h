// atelier/log.h — where the engine's log lines go.
//
// The engine logs progress notes, resumptions and warnings through spdlog's default logger. A front
// end chooses the sink and level here, without including spdlog itself.
#pragma once

namespace atelier {

// Log lines go to stderr (coloured on a terminal), so that --json output on stdout stays
// machine-readable; debug lines too when `verbose`.
void log_to_stderr(bool verbose);

}  // namespace atelier
