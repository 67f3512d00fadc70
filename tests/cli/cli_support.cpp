#include "cli_support.h"

#include <gtest/gtest.h>

#include <sstream>

namespace atelier::test {

ProcessResult cli(const std::vector<std::string>& args,
                  const std::function<bool(const std::string&)>& on_line) {
  return run_process(ATELIER_CLI_PATH, args, on_line);
}

ProcessResult cli_interrupted_after(const std::vector<std::string>& args, int ms) {
  return run_process(ATELIER_CLI_PATH, args, {}, ms);
}

// A method is built when its command answers with its own help: `train ID`, or `patch` for
// patchnn, which trains nothing (`train ID --help` gives train's own help for an unknown ID).
bool method_built(const std::string& id) {
  const std::vector<std::string> command =
      id == "patchnn" ? std::vector<std::string>{"patch"} : std::vector<std::string>{"train", id};
  std::vector<std::string> args = command;
  args.push_back("--help");
  const ProcessResult help = cli(args);
  std::string usage;
  for (const std::string& word : command) usage += " " + word;
  return help.exit_code == 0 && help.out.find(usage + " [OPTIONS]") != std::string::npos;
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> events;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.front() == '{') events.push_back(nlohmann::json::parse(line));
  }
  return events;
}

nlohmann::json result_of(const ProcessResult& r) {
  const auto events = json_lines(r.out);
  if (events.empty() || events.back()["event"] != "result") {
    ADD_FAILURE() << "no result object in: " << r.out << "\nstderr: " << r.err;
  }
  return events.empty() ? nlohmann::json() : events.back();
}

}  // namespace atelier::test
