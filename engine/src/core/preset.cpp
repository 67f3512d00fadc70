// Presets: finding, listing, strict loading, overrides and the strict params reader.
#include "atelier/preset.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "atelier/error.h"
#include "atelier/file_checks.h"
#include "atelier/json_text.h"
#include "atelier/model_file.h"
#include "atelier/version.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace atelier {
namespace {

std::mutex models_dir_mutex;
std::string models_dir_override;  // set_models_dir(); wins over everything else

std::string installed_models_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  // <prefix>/bin/atelier and <prefix>/libexec/atelier/atelier-cli-engine
  const fs::path prefixes[] = {exe.parent_path().parent_path(),
                               exe.parent_path().parent_path().parent_path()};
  for (const fs::path& prefix : prefixes) {
    const fs::path dir = prefix / "share" / "atelier" / "models";
    if (fs::is_directory(dir, ec)) return dir.string();
  }
  return {};
}

// tiny, preview, standard, paper first (in that order), then any other name alphabetically.
int size_rank(const std::string& size) {
  static const char* const kOrder[] = {"tiny", "preview", "standard", "paper"};
  for (int i = 0; i < 4; ++i)
    if (size == kOrder[i]) return i;
  return 4;
}

bool looks_like_path(const std::string& name_or_path) {
  return name_or_path.find('/') != std::string::npos ||
         fs::path(name_or_path).extension() == ".json";
}

// 0.5, 2048, 1e+300: short and exact enough for a message.
std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw bad_input(path + ": cannot open the preset file");
  std::stringstream text;
  text << in.rdbuf();
  return parse_json_text(text.str(), path);
}

const json& string_key(const json& root, const std::string& key, const std::string& path) {
  const json& value = root.at(key);
  if (!value.is_string())
    throw bad_input(path + ": key '" + key + "' must be a string, not " + value.type_name());
  return value;
}

}  // namespace

std::string models_dir() {
  {
    std::lock_guard<std::mutex> lock(models_dir_mutex);
    if (!models_dir_override.empty()) return models_dir_override;
  }
  if (const char* env = std::getenv("ATELIER_MODELS_DIR"); env && *env) return env;
  if (std::string installed = installed_models_dir(); !installed.empty()) return installed;
  return ATELIER_SOURCE_DIR "/models";
}

void set_models_dir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(models_dir_mutex);
  models_dir_override = dir;
}

std::vector<std::string> list_methods() {
  std::vector<std::string> methods;
  std::error_code ec;
  for (fs::directory_iterator it(models_dir(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec) && !name.empty() && name[0] != '.') methods.push_back(name);
  }
  std::sort(methods.begin(), methods.end());
  return methods;
}

std::vector<std::string> list_presets(const std::string& method) {
  std::vector<std::string> sizes;
  std::error_code ec;
  const fs::path dir = fs::path(models_dir()) / method;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& file = it->path();
    if (file.extension() == ".json" && it->is_regular_file(ec))
      sizes.push_back(file.stem().string());
  }
  std::sort(sizes.begin(), sizes.end(), [](const std::string& a, const std::string& b) {
    const int ra = size_rank(a), rb = size_rank(b);
    return ra != rb ? ra < rb : a < b;
  });
  return sizes;
}

Preset load_preset(const std::string& method, const std::string& name_or_path) {
  const bool by_name = !looks_like_path(name_or_path);
  const std::string path =
      by_name ? (fs::path(models_dir()) / method / (name_or_path + ".json")).string()
              : name_or_path;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    if (by_name) {
      const auto sizes = list_presets(method);
      throw bad_input(
          path + ": no preset '" + name_or_path + "' for method '" + method + "'" +
          (sizes.empty() ? " (no presets found)" : " (available: " + join(sizes) + ")"));
    }
    require_regular_file(path, "a preset");  // names a folder, a FIFO, ... for what it is
  }

  const json root = read_json_file(path);
  if (!root.is_object())
    throw bad_input(path + ": a preset must be a JSON object, not " + root.type_name());
  static const char* const kKeys[] = {"method", "size", "description", "params"};
  for (const auto& item : root.items()) {
    if (std::find(std::begin(kKeys), std::end(kKeys), item.key()) == std::end(kKeys))
      throw bad_input(path + ": unknown top-level key '" + item.key() +
                      "' (expected method, size, description, params)");
  }
  for (const char* key : kKeys)
    if (!root.contains(key)) throw bad_input(path + ": missing top-level key '" + key + "'");

  Preset preset;
  preset.path = path;
  preset.method = string_key(root, "method", path).get<std::string>();
  preset.size = string_key(root, "size", path).get<std::string>();
  preset.description = string_key(root, "description", path).get<std::string>();
  preset.params = root.at("params");
  if (!preset.params.is_object())
    throw bad_input(path + ": key 'params' must be an object, not " + preset.params.type_name());
  if (!method.empty() && preset.method != method)
    throw bad_input(path + ": this preset is for method '" + preset.method + "', not '" + method +
                    "'");
  if (by_name && preset.size != name_or_path)
    throw bad_input(path + ": key 'size' says '" + preset.size + "' but the file is named '" +
                    name_or_path + ".json'");
  return preset;
}

Preset stored_preset(const std::string& method, const std::string& model_path) {
  ModelInfo info = inspect_model(model_path);
  if (info.method != method) {
    throw bad_input(model_path + ": a " + info.method + " model, not " + method);
  }
  Preset preset;
  preset.method = method;
  preset.size = info.preset;
  preset.path = model_path;
  preset.params = std::move(info.params);
  return preset;
}

void apply_overrides(Preset& preset, const std::vector<std::string>& key_values) {
  const std::string source = preset.path.empty() ? "preset" : preset.path;
  for (const std::string& key_value : key_values) {
    const auto eq = key_value.find('=');
    if (eq == std::string::npos || eq == 0)
      throw usage_error("override '" + key_value + "' is not of the form key=value");
    const std::string key = key_value.substr(0, eq);
    const std::string text = key_value.substr(eq + 1);

    json* target = &preset.params;
    std::string walked;
    std::size_t begin = 0;
    for (;;) {
      const auto dot = key.find('.', begin);
      const std::string part = key.substr(begin, dot == std::string::npos ? dot : dot - begin);
      walked += (walked.empty() ? "" : ".") + part;
      if (!target->is_object() || !target->contains(part))
        throw usage_error(source + ": override '" + key_value + "': unknown parameter '" + walked +
                          "'");
      target = &(*target)[part];
      if (dot == std::string::npos) break;
      begin = dot + 1;
    }
    std::optional<json> value = try_parse_json_text(text);
    // A string parameter keeps the text as written ("name=123" stays the string "123").
    if (!value || (target->is_string() && !value->is_string())) value = text;
    *target = std::move(*value);
    preset.overrides[key] = key_value;
  }
}

bool Range::contains(double value) const {
  const bool above = min_open ? value > min : value >= min;
  const bool below = max_open ? value < max : value <= max;
  return above && below;  // both false for NaN
}

std::string Range::text() const {
  return (min_open ? "(" : "[") + number_text(min) + ", " + number_text(max) +
         (max_open ? ")" : "]");
}

ParamReader::ParamReader(const json& object, std::string source)
    : object_(object), source_(std::move(source)) {
  if (!object_.is_object())
    throw bad_input(source_ + ": parameters must be a JSON object, not " + object_.type_name());
}

ParamReader::ParamReader(const Preset& preset)
    : ParamReader(preset.params,
                  preset.path.empty()
                      ? (preset.method.empty() ? "preset" : preset.method + " preset")
                      : preset.path) {
  overrides_ = &preset.overrides;
}

bool ParamReader::has(const std::string& key) const {
  return object_.contains(key);
}

const json& ParamReader::find(const std::string& key) {
  const auto it = object_.find(key);
  if (it == object_.end()) fail(key, "is missing");
  read_.insert(key);
  return *it;
}

ParamReader ParamReader::child(const std::string& key) {
  const json& value = find(key);
  if (!value.is_object()) fail(key, std::string("must be an object, not ") + value.type_name());
  ParamReader reader(value, source_);
  reader.prefix_ = prefix_ + key + ".";
  reader.overrides_ = overrides_;
  return reader;
}

void ParamReader::finish() const {
  std::vector<std::string> unknown;
  for (const auto& item : object_.items())
    if (!read_.count(item.key())) unknown.push_back("'" + prefix_ + item.key() + "'");
  if (unknown.empty()) return;
  throw bad_input(source_ + ": unknown parameter" + (unknown.size() > 1 ? "s " : " ") +
                  join(unknown));
}

void ParamReader::require(bool ok, const std::vector<std::string>& keys,
                          const std::string& what) const {
  if (ok) return;
  for (const std::string& key : keys)
    if (overrides_ && overrides_->count(prefix_ + key))
      fail_about(prefix_ + key, "parameter " + what);
  throw bad_input(source_ + ": parameter " + what);
}

void ParamReader::check_range(const std::string& key, double value, const Range& range) const {
  if (range.contains(value)) return;
  fail(key, "is " + number_text(value) + "; it must lie in " + range.text());
}

void ParamReader::fail(const std::string& key, const std::string& problem) const {
  fail_about(prefix_ + key, "parameter '" + prefix_ + key + "' " + problem);
}

void ParamReader::fail_about(const std::string& full_key, const std::string& message) const {
  if (overrides_) {
    const auto it = overrides_->find(full_key);
    if (it != overrides_->end()) throw bad_input("--set " + it->second + ": " + message);
  }
  throw bad_input(source_ + ": " + message);
}

std::string ParamReader::describe(const json& value) {
  if (value.is_number()) return json_text(value);
  if (value.is_array()) return "a list";
  if (value.is_object()) return "an object";
  if (value.is_boolean()) return "true or false";
  if (value.is_string()) return "the text \"" + json_text(value).substr(1);
  return std::string("a ") + value.type_name();
}

}  // namespace atelier
