// The launcher's command tree (rebuilt from the exported grammar) must be the real one: the same
// help on every command, the same verdict and message on command lines that do not parse.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "atelier/error.h"
#include "atelier/version.h"
#include "cli_app.h"
#include "command_path.h"
#include "exit_codes.h"
#include "grammar.h"
#include "man_page.h"

namespace atelier::cli {
namespace {

struct RealApp {
  Context context;
  Action action;
  bool verbose = false;
  std::unique_ptr<CLI::App> app = make_cli_app(context, action, verbose);
};

nlohmann::json real_grammar() {
  RealApp real;
  return export_grammar(*real.app, ATELIER_VERSION);
}

// What a command line leads to, as the user sees it: exit code and message (no command runs).
std::string verdict(CLI::App& app, std::vector<std::string> words) {
  words.insert(words.begin(), "atelier-cli");
  std::vector<const char*> argv;
  for (const std::string& w : words) argv.push_back(w.c_str());
  try {
    check_command_words(app, static_cast<int>(argv.size()), argv.data());
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const Error& e) {
    return "usage: " + std::string(e.what());
  } catch (const CLI::CallForHelp&) {
    return "help: " + app.help();
  } catch (const CLI::ParseError& e) {
    return std::to_string(e.get_exit_code() == 0 ? 0 : exit_code_for_parse_error(e)) + ": " +
           e.what();
  }
  return "parsed";
}

void for_each_command(CLI::App& app, const std::string& path,
                      const std::function<void(CLI::App&, const std::string&)>& visit) {
  visit(app, path);
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    for_each_command(*sub, path + " " + sub->get_name(), visit);
}

TEST(CliGrammar, RebuildsEveryAttributeItExports) {
  const nlohmann::json grammar = real_grammar();
  const nlohmann::json rebuilt = export_grammar(*app_from_grammar(grammar), ATELIER_VERSION);
  EXPECT_TRUE(rebuilt == grammar) << nlohmann::json::diff(grammar, rebuilt).dump(1);
  EXPECT_GT(grammar.dump().size(), 10000u) << "the tree looks too small to be the real one";
}

TEST(CliGrammar, EveryCommandHasTheSameHelp) {
  RealApp real;
  const auto rebuilt = app_from_grammar(export_grammar(*real.app, ATELIER_VERSION));
  std::vector<std::string> real_help, rebuilt_help;
  for_each_command(*real.app, "", [&](CLI::App& app, const std::string& path) {
    real_help.push_back(path + "\n" + app.help());
  });
  for_each_command(*rebuilt, "", [&](CLI::App& app, const std::string& path) {
    rebuilt_help.push_back(path + "\n" + app.help());
  });
  ASSERT_GT(real_help.size(), 20u);
  ASSERT_EQ(real_help.size(), rebuilt_help.size());
  for (std::size_t i = 0; i < real_help.size(); ++i) EXPECT_EQ(rebuilt_help[i], real_help[i]);
}

TEST(CliGrammar, CommandLinesThatDoNotParseGetTheSameAnswer) {
  const std::vector<std::vector<std::string>> lines = {
      {},
      {"trian"},
      {"train"},
      {"train", "singna"},
      {"info", "--bogus"},
      {"info", "extra"},
      {"run"},
      {"run", "model.atl"},
      {"train", "singan", "--image"},
      {"make-dataset", "composite", "--out", "d", "--contrast", "weird"},
      {"--version"},
      {"--help"},
      {"train", "singan", "--help"},
      {"eval", "-h"},
  };
  const nlohmann::json grammar = real_grammar();
  for (const auto& line : lines) {
    RealApp real;
    const auto rebuilt = app_from_grammar(grammar);
    std::string text;
    for (const std::string& w : line) text += " " + w;
    const std::string expected = verdict(*real.app, line);
    EXPECT_NE(expected, "parsed") << text;
    EXPECT_EQ(verdict(*rebuilt, line), expected) << text;
  }
}

TEST(CliGrammar, AWellFormedCommandLineParsesInTheRebuiltTree) {
  // Values are left to the engine binary: the launcher passes what only a value check refuses.
  const auto rebuilt = app_from_grammar(real_grammar());
  EXPECT_EQ(verdict(*rebuilt, {"info", "--json"}), "parsed");
  EXPECT_EQ(verdict(*rebuilt, {"run", "m.atl", "sample", "--n", "3", "--whatever"}), "parsed");
  EXPECT_EQ(verdict(*rebuilt, {"make-dataset", "composite", "--out", "d", "--contrast", "low"}),
            "parsed");
}

// Every command of the tree, as "atelier-cli a b", depth first.
void command_paths(const CLI::App& app, const std::string& path, std::vector<std::string>& out) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    const std::string here = path + " " + sub->get_name();  // not out.back(): push_back moves it
    out.push_back(here);
    command_paths(*sub, here, out);
  }
}

TEST(ManualPage, HasASectionForEveryCommandWithEachOfItsOptions) {
  RealApp real;
  const std::string manual = manual_page(*real.app, ATELIER_VERSION);
  EXPECT_EQ(manual.rfind(".TH ATELIER-CLI 1 ", 0), 0u);
  std::vector<std::string> paths;
  command_paths(*real.app, "atelier-cli", paths);
  EXPECT_GT(paths.size(), 20u);  // 39 with every method, 23 with singan and patchnn alone
  for (const std::string& path : paths) {
    const std::size_t at = manual.find(".SS \"" + path + "\"\n");
    ASSERT_NE(at, std::string::npos) << path;
    EXPECT_NE(manual.find("Usage: " + path, at), std::string::npos) << path;
  }
  for (const char* option : {"--preset", "--size", "--threads", "--compare", "--json"})
    EXPECT_NE(manual.find(option), std::string::npos) << option;
  // Only the page's own requests start a line with a dot; help text is escaped.
  std::istringstream lines(manual);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '.') continue;
    const std::string request = line.substr(0, line.find(' '));
    EXPECT_TRUE(request == ".TH" || request == ".SH" || request == ".SS" || request == ".nf" ||
                request == ".fi" || request == ".B")
        << line;
  }
}

}  // namespace
}  // namespace atelier::cli
