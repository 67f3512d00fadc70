// Helpers of the end-to-end CLI tests: run the real atelier-cli and read its --json output.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "atelier/image.h"
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

// The picture at `path` has this size (inline: only the tests that call it link the image reader).
inline void expect_image(const std::string& path, int width, int height) {
  const Image image = load_image(path);
  EXPECT_EQ(image.width, width) << path;
  EXPECT_EQ(image.height, height) << path;
}

}  // namespace atelier::test
