#include "grammar.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace atelier::cli {
namespace {

using nlohmann::json;

// "-v,--verbose" or "model": what add_option/add_flag take to make the same option again.
std::string names_of(const CLI::Option& option) {
  if (option.get_positional()) {
    if (!option.get_snames().empty() || !option.get_lnames().empty())
      throw std::logic_error("grammar: positional " + option.get_name(true) + " also has flags");
    return option.get_name(true);
  }
  // A flag that sets false ("!--no-ceiling") is named with CLI11's "!" again.
  const auto& negated = option.get_fnames();
  const auto name = [&](const std::string& dashes, const std::string& word) {
    const bool is_negated = std::find(negated.begin(), negated.end(), word) != negated.end();
    return (is_negated ? "!" : "") + dashes + word;
  };
  std::string names;
  for (const std::string& s : option.get_snames())
    names += (names.empty() ? "" : ",") + name("-", s);
  for (const std::string& l : option.get_lnames())
    names += (names.empty() ? "" : ",") + name("--", l);
  return names;
}

// CLI11's IsMember describes itself as "{a,b,c}"; its choices are checked by the launcher, since
// a word that is not one of them is a usage error. Other validators (ranges, existing files) are
// left to the engine binary, which parses the same command line again.
std::vector<std::string> choices_of(CLI::Option& option) {
  for (int i = 0;; ++i) {
    CLI::Validator* validator = nullptr;
    try {
      validator = option.get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      return {};
    }
    // A rebuilt tree keeps the set in the validator's name (its description is in the type name).
    const std::string text =
        validator->get_description().empty() ? validator->get_name() : validator->get_description();
    if (text.size() < 2 || text.front() != '{' || text.back() != '}' ||
        text.find("->") != std::string::npos)
      continue;
    return CLI::detail::split(text.substr(1, text.size() - 2), ',');
  }
}

json export_option(CLI::App& app, CLI::Option& option) {
  if (option.get_group().empty()) throw std::logic_error("grammar: hidden options are not rebuilt");
  if (!option.get_needs().empty() || !option.get_excludes().empty())
    throw std::logic_error("grammar: " + option.get_name() + " uses needs/excludes");
  const auto* formatter = dynamic_cast<const CLI::Formatter*>(app.get_formatter().get());
  if (!formatter) throw std::logic_error("grammar: a custom help formatter is not rebuilt");
  std::string opts = formatter->make_option_opts(&option);
  if (!opts.empty() && opts.front() == ' ') opts.erase(0, 1);
  return {{"names", names_of(option)},
          {"description", option.get_description()},
          {"opts", opts},  // the help's text after the names: type, default, REQUIRED
          {"type_name", option.get_type_name()},     // "TEXT:FILE", as parse errors name it
          {"flag", option.get_expected_max() == 0},  // add_flag: takes no value
          {"type_size", {option.get_type_size_min(), option.get_type_size_max()}},
          {"expected", {option.get_expected_min(), option.get_expected_max()}},
          {"allow_extra_args", option.get_allow_extra_args()},
          {"multi_option_policy", static_cast<int>(option.get_multi_option_policy())},
          {"required", option.get_required()},
          {"group", option.get_group()},
          {"envname", option.get_envname()},
          {"choices", choices_of(option)}};
}

json export_app(CLI::App& app) {
  json options = json::array();
  for (CLI::Option* option : app.get_options([](CLI::Option*) { return true; })) {
    if (option == app.get_help_ptr()) {
      options.push_back(
          {{"help", option->get_name(false, true)}, {"description", option->get_description()}});
    } else if (option == app.get_help_all_ptr()) {
      throw std::logic_error("grammar: --help-all is not rebuilt");
    } else if (option == app.get_version_ptr()) {
      options.push_back(
          {{"version", option->get_name(false, true)}, {"description", option->get_description()}});
    } else {
      options.push_back(export_option(app, *option));
    }
  }
  json subcommands = json::array();
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_name().empty()) throw std::logic_error("grammar: option groups are not rebuilt");
    json node = export_app(*sub);
    node["name"] = sub->get_name();
    node["group"] = sub->get_group();
    subcommands.push_back(std::move(node));
  }
  return {
      {"description", app.get_description()},
      {"footer", app.get_footer()},
      {"require_subcommand", {app.get_require_subcommand_min(), app.get_require_subcommand_max()}},
      {"required", app.get_required()},
      {"allow_extras", app.get_allow_extras()},
      {"prefix_command", app.get_prefix_command()},
      {"fallthrough", app.get_fallthrough()},
      {"positionals_at_end", app.get_positionals_at_end()},
      {"options", std::move(options)},
      {"subcommands", std::move(subcommands)}};
}

void add_option(CLI::App& app, const json& spec, const std::string& version) {
  if (spec.contains("help")) {
    const CLI::Option* help = app.get_help_ptr();
    const std::string names = spec["help"];
    const std::string description = spec["description"];
    if (!help || help->get_name(false, true) != names || help->get_description() != description)
      app.set_help_flag(names, description);
    return;
  }
  if (spec.contains("version")) {
    app.set_version_flag(spec["version"].get<std::string>(), version,
                         spec["description"].get<std::string>());
    return;
  }
  const std::string names = spec["names"];
  CLI::Option* option = spec["flag"].get<bool>() ? app.add_flag(names) : app.add_option(names);
  option->description(spec["description"].get<std::string>());
  option->type_size(spec["type_size"][0].get<int>(), spec["type_size"][1].get<int>());
  // The policy before the counts: changing it adjusts a vector option's counts.
  option->multi_option_policy(
      static_cast<CLI::MultiOptionPolicy>(spec["multi_option_policy"].get<int>()));
  option->expected(spec["expected"][0].get<int>(), spec["expected"][1].get<int>());
  option->allow_extra_args(spec["allow_extra_args"].get<bool>());
  option->required(spec["required"].get<bool>());
  option->group(spec["group"].get<std::string>());
  if (const std::string env = spec["envname"]; !env.empty()) option->envname(env);
  // The type name already holds the validators' descriptions, the choices' among them.
  option->type_name(spec["type_name"].get<std::string>());
  if (const auto choices = spec["choices"].get<std::vector<std::string>>(); !choices.empty()) {
    std::string set;
    for (const std::string& choice : choices) set += (set.empty() ? "{" : ",") + choice;
    option->check(CLI::IsMember(choices).description("").name(set + "}"));
  }
  option->option_text(spec["opts"].get<std::string>());
}

void build_app(CLI::App& app, const json& node, const std::string& version) {
  app.description(node["description"].get<std::string>());
  app.footer(node["footer"].get<std::string>());
  app.require_subcommand(node["require_subcommand"][0].get<std::size_t>(),
                         node["require_subcommand"][1].get<std::size_t>());
  app.required(node["required"].get<bool>());
  app.allow_extras(node["allow_extras"].get<bool>());
  app.prefix_command(node["prefix_command"].get<bool>());
  app.fallthrough(node["fallthrough"].get<bool>());
  app.positionals_at_end(node["positionals_at_end"].get<bool>());
  for (const json& option : node["options"]) add_option(app, option, version);
  for (const json& sub : node["subcommands"]) {
    CLI::App* command = app.add_subcommand(sub["name"].get<std::string>());
    command->group(sub["group"].get<std::string>());
    build_app(*command, sub, version);
  }
}

}  // namespace

nlohmann::json export_grammar(CLI::App& app, const std::string& version) {
  json grammar = export_app(app);
  grammar["version"] = version;
  return grammar;
}

std::unique_ptr<CLI::App> app_from_grammar(const nlohmann::json& grammar) {
  auto app = std::make_unique<CLI::App>();
  build_app(*app, grammar, grammar["version"].get<std::string>());
  return app;
}

}  // namespace atelier::cli
