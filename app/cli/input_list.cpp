#include "input_list.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "atelier/child_process.h"
#include "atelier/error.h"
#include "atelier/model_file.h"
#include "exit_codes.h"

namespace atelier::cli {
namespace {

namespace fs = std::filesystem;

struct Shard {
  int index = 0;
  int count = 1;
};

Shard parse_shard(const std::string& text) {
  Shard shard;
  char slash = 0;
  std::istringstream in(text);
  if (!(in >> shard.index >> slash >> shard.count) || slash != '/' || !in.eof() ||
      shard.count < 1 || shard.index < 0 || shard.index >= shard.count) {
    throw bad_input("--shard '" + text + "': expected I/N with 0 <= I < N, as 0/4");
  }
  return shard;
}

struct Input {
  int line = 0;                    // 1-based, in the list
  std::vector<std::string> paths;  // one per input option
  std::string name;                // of its model file
};

// The list's inputs: one per line (blank lines and lines starting with # are skipped); paths
// relative to the list's folder. Each writes NAME + suffix under --out.
std::vector<Input> read_inputs(const std::string& list, std::size_t paths_per_line,
                               const std::string& suffix) {
  std::ifstream in(list);
  if (!in) throw bad_input(list + ": cannot read the list of inputs");
  const fs::path base = fs::path(list).parent_path();
  std::vector<Input> inputs;
  std::map<std::string, int> line_of_name;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos || text[first] == '#') continue;
    text = text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
    Input input;
    input.line = line;
    if (paths_per_line == 1) {
      input.paths = {text};
    } else {
      std::istringstream fields(text);
      const char separator = text.find('\t') != std::string::npos ? '\t' : ' ';
      for (std::string field; std::getline(fields, field, separator);)
        if (!field.empty()) input.paths.push_back(field);
    }
    const std::string where = list + " line " + std::to_string(line);
    if (input.paths.size() != paths_per_line) {
      throw bad_input(where + ": expected " + std::to_string(paths_per_line) + " paths, found " +
                      std::to_string(input.paths.size()));
    }
    for (std::string& path : input.paths) {
      if (fs::path(path).is_relative()) path = (base / path).lexically_normal().string();
      input.name += (input.name.empty() ? "" : "-") + fs::path(path).stem().string();
    }
    const auto [seen, fresh] = line_of_name.emplace(input.name, line);
    if (!fresh) {
      throw bad_input(list + " lines " + std::to_string(seen->second) + " and " +
                      std::to_string(line) + " would both write " + input.name + suffix +
                      ": give the inputs different names");
    }
    inputs.push_back(std::move(input));
  }
  if (inputs.empty()) throw bad_input(list + ": no inputs in the list");
  return inputs;
}

// The command line of this run without the options the loop replaces per input.
std::vector<std::string> shared_arguments(const std::vector<std::string>& arguments) {
  static const std::vector<std::string> replaced = {"--inputs", "--shard", "--out", "--previews",
                                                    "--resume"};
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    bool skip = false;
    for (const std::string& option : replaced) {
      if (arguments[i] == option) {
        skip = true;
        ++i;  // and its value
      } else if (arguments[i].rfind(option + "=", 0) == 0) {
        skip = true;
      }
      if (skip) break;
    }
    if (!skip) kept.push_back(arguments[i]);
  }
  return kept;
}

struct ListOptions {
  std::string inputs;
  std::string shard = "0/1";
  std::vector<CLI::Option*> input_options;
  CLI::Option* inputs_option = nullptr;
};

}  // namespace

Action with_input_list(CLI::App& command, const std::vector<std::string>& input_options,
                       Context& context, Action run, const ListOutput& output) {
  auto o = std::make_shared<ListOptions>();
  std::vector<std::string> shown;  // as the help names them: --image, or VIDEO for a positional
  for (const std::string& name : input_options) {
    CLI::Option* option = command.get_option(name);
    option->required(false);
    o->input_options.push_back(option);
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    shown.push_back(option->nonpositional() ? name : upper);
  }
  o->inputs_option =
      command
          .add_option("--inputs", o->inputs,
                      "A list of inputs, one per line, each " +
                          std::string(output.last_file ? "made" : "trained") +
                          " in turn instead of " + shown.front() + "; --out is then a folder of " +
                          (output.last_file ? "NAME folders" : "NAME.atl files"))
          ->check(CLI::ExistingFile);
  command
      .add_option("--shard", o->shard,
                  "With --inputs: the lines whose index is I modulo N (a job array)")
      ->capture_default_str();
  return [o, &command, &context, run, input_options, shown, output] {
    if (o->inputs_option->count() == 0) {
      for (std::size_t i = 0; i < o->input_options.size(); ++i) {
        if (o->input_options[i]->count() == 0)
          throw usage_error(shown[i] + " is required (or --inputs LIST)");
      }
      return run();
    }
    for (std::size_t i = 0; i < o->input_options.size(); ++i) {
      if (o->input_options[i]->count() > 0)
        throw usage_error(shown[i] + " and --inputs: give one or the other");
    }
    const Shard shard = parse_shard(o->shard);
    const bool folders = static_cast<bool>(output.last_file);
    const std::vector<Input> inputs =
        read_inputs(o->inputs, input_options.size(), folders ? "/" : ".atl");
    const std::string out = command.get_option("--out")->as<std::string>();
    const CLI::Option* previews_option = command.get_option_no_throw("--previews");
    const std::string previews =
        previews_option && previews_option->count() ? previews_option->as<std::string>() : "";
    const std::string last_file = folders ? output.last_file(command) : "";
    std::error_code ec;
    fs::create_directories(out, ec);
    if (!fs::is_directory(out, ec))
      throw bad_input("--out " + out + ": with --inputs, a folder for the outputs");
    const std::vector<std::string> shared = shared_arguments(context.arguments);

    nlohmann::json ran = nlohmann::json::array(), skipped = nlohmann::json::array(),
                   failed = nlohmann::json::array();
    int exit_code = kExitOk;
    const auto fail = [&](const Input& input, int code) {  // the first failure's code is kept
      failed.push_back({{"input", input.name}, {"line", input.line}, {"exit_code", code}});
      if (exit_code == kExitOk) exit_code = code;
    };
    for (std::size_t i = std::size_t(shard.index); i < inputs.size();
         i += std::size_t(shard.count)) {
      const Input& input = inputs[i];
      const std::string target =
          (fs::path(out) / (folders ? input.name : input.name + ".atl")).string();
      const auto missing = std::find_if(input.paths.begin(), input.paths.end(),
                                        [&](const std::string& p) { return !fs::exists(p, ec); });
      if (missing != input.paths.end()) {
        std::fprintf(stderr, "error: %s line %d: %s not found\n", o->inputs.c_str(), input.line,
                     missing->c_str());
        fail(input, kExitBadInput);
        continue;
      }
      std::vector<std::string> arguments = shared;
      for (std::size_t k = 0; k < input_options.size(); ++k) {
        if (o->input_options[k]->nonpositional()) arguments.push_back(input_options[k]);
        arguments.push_back(input.paths[k]);
      }
      arguments.insert(arguments.end(), {"--out", target});
      if (!previews.empty())
        arguments.insert(arguments.end(), {"--previews", previews + "/" + input.name});
      if (folders && fs::exists(fs::path(target) / last_file, ec)) {
        if (!context.json)
          std::fprintf(stderr, "skipped %s: %s is done\n", input.name.c_str(), target.c_str());
        skipped.push_back(input.name);
        continue;
      }
      if (!folders && fs::exists(target, ec)) {
        bool finished = false;
        try {
          finished = inspect_model(target).finished;
        } catch (const Error& e) {
          std::fprintf(stderr, "error: %s\n", e.what());
          fail(input, kExitBadInput);
          continue;
        }
        if (finished) {
          if (!context.json)
            std::fprintf(stderr, "skipped %s: %s is finished\n", input.name.c_str(),
                         target.c_str());
          skipped.push_back(input.name);
          continue;
        }
        arguments.insert(arguments.end(), {"--resume", target});
      }
      if (!context.json)
        std::fprintf(stderr, "input %zu of %zu (list line %d): %s\n", i + 1, inputs.size(),
                     input.line, input.name.c_str());
      const int code = ChildProcess("/proc/self/exe", arguments).wait();
      if (code == kExitOk) {
        ran.push_back(input.name);
      } else if (code == kExitCancelled) {
        exit_code = kExitCancelled;
        break;
      } else {
        fail(input, code);
      }
    }
    const char* done = folders ? "made" : "trained";
    context.print_result(
        {{"inputs", inputs.size()},
         {"shard", o->shard},
         {"out", out},
         {done, ran},
         {"skipped", skipped},
         {"failed", failed}},
        [&] {
          std::printf("shard %s of %zu inputs: %zu %s, %zu skipped, %zu failed; %s in %s\n",
                      o->shard.c_str(), inputs.size(), ran.size(), done, skipped.size(),
                      failed.size(), folders ? "results" : "models", out.c_str());
        });
    return exit_code;
  };
}

}  // namespace atelier::cli
