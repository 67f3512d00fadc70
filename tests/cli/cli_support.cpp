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

// A method is built when `eval ID`, which every method has, answers with its own help (for an
// unknown ID, `eval ID --help` gives eval's own help, exit 0 too).
bool method_built(const std::string& id) {
  const ProcessResult help = cli({"eval", id, "--help"});
  return help.exit_code == 0 && help.out.find(" eval " + id + " [OPTIONS]") != std::string::npos;
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
