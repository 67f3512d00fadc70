// atelier/preset.h — presets are data: models/<method>/<size>.json.
//
// A preset file is {"method": ID, "size": NAME, "description": TEXT, "params": {...}}. The method's
// params struct reads "params" with a ParamReader, which rejects unknown and missing keys naming the
// key and the file. Overrides (from the CLI's --set or the GUI) are applied to the JSON first.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace atelier {

struct Preset {
  std::string method;
  std::string size;         // tiny, preview, standard, paper (or a file's own name)
  std::string description;
  std::string path;         // where it was read from
  nlohmann::json params;    // the method's parameters, overrides applied
};

// The folder holding the presets: $ATELIER_MODELS_DIR, else <exe dir>/../share/atelier/models,
// else the source tree's models/ (for runs from the build folder).
std::string models_dir();
void set_models_dir(const std::string& dir);  // for tests and front ends with their own layout

std::vector<std::string> list_methods();                       // folders under models_dir()
std::vector<std::string> list_presets(const std::string& method);  // sizes, sorted tiny..paper

// `name_or_path` is a size ("preview") or a path to a .json file. Throws Error(BadInput) naming
// the file for a missing file, bad JSON, a wrong or missing top-level key, or another method.
Preset load_preset(const std::string& method, const std::string& name_or_path);

// Applies "key=value" overrides to preset.params; a key must already exist ("a.b" for nested
// objects); the value is parsed as JSON when it parses, else taken as a string.
void apply_overrides(Preset& preset, const std::vector<std::string>& key_values);

// Strict reader for a params object: every key must be read exactly once, in any order.
//   ParamReader r(preset.params, preset.path);
//   p.lr = r.get<double>("lr");
//   r.finish();  // throws if the JSON has keys nobody read
class ParamReader {
 public:
  ParamReader(const nlohmann::json& object, std::string source);

  template <class T>
  T get(const std::string& key) {
    const nlohmann::json& value = find(key);
    try {
      return value.get<T>();
    } catch (const nlohmann::json::exception& e) {
      fail(key, std::string("has the wrong type (") + value.type_name() + ")");
    }
  }
  template <class T>
  T get_or(const std::string& key, T fallback) {
    return has(key) ? get<T>(key) : fallback;
  }
  bool has(const std::string& key) const;
  ParamReader child(const std::string& key);  // a nested object, read strictly as well
  void finish() const;

 private:
  const nlohmann::json& find(const std::string& key);
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

  const nlohmann::json& object_;
  std::string source_;
  std::set<std::string> read_;
};

}  // namespace atelier
