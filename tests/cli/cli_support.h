// Helpers of the end-to-end CLI tests: run the real atelier-cli and read its --json output.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "process.h"

namespace atelier::test {

// Runs atelier-cli (ATELIER_CLI_PATH) with `args`; `on_line` as for run_process.
ProcessResult cli(const std::vector<std::string>& args,
                  const std::function<bool(const std::string&)>& on_line = {});

// Runs atelier-cli with `args` and sends it SIGINT `ms` milliseconds after it started.
ProcessResult cli_interrupted_after(const std::vector<std::string>& args, int ms);

// Whether this atelier-cli was built with method `id` (a build may hold a subset of methods).
bool method_built(const std::string& id);

// The objects printed one per line by --json.
std::vector<nlohmann::json> json_lines(const std::string& out);

// The last --json object, which must be the "result" event (a test failure otherwise).
nlohmann::json result_of(const ProcessResult& r);

}  // namespace atelier::test
