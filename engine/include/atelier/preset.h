// atelier/preset.h — presets are data: models/<method>/<size>.json.
//
// A preset file is {"method": ID, "size": NAME, "description": TEXT, "params": {...}}. The method's
// params struct reads "params" with a ParamReader, which rejects unknown and missing keys naming the
// key and the file. Overrides (from the CLI's --set or the GUI) are applied to the JSON first.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <type_traits>
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
    // nlohmann converts numbers and booleans into each other silently; a preset must be exact.
    if (!holds<T>(value)) fail(key, std::string("has the wrong type (") + value.type_name() + ")");
    try {
      return value.get<T>();
    } catch (const nlohmann::json::exception&) {
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

  // Whether `value` is a JSON value of T's kind: a bool for bool, an integer in range for integral
  // types, a number for floating types, a string for strings, element-wise for vectors.
  template <class T>
  static bool holds(const nlohmann::json& value) {
    if constexpr (std::is_same_v<T, bool>) {
      return value.is_boolean();
    } else if constexpr (std::is_integral_v<T>) {
      if (!value.is_number_integer()) return false;  // true for unsigned JSON numbers too
      constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<T>::max());
      if (value.is_number_unsigned()) return value.get<std::uint64_t>() <= kMax;
      const auto v = value.get<std::int64_t>();
      return v < 0 ? v >= static_cast<std::int64_t>(std::numeric_limits<T>::min())
                   : static_cast<std::uint64_t>(v) <= kMax;
    } else if constexpr (std::is_floating_point_v<T>) {
      return value.is_number();
    } else if constexpr (std::is_same_v<T, std::string>) {
      return value.is_string();
    } else if constexpr (is_vector<T>::value) {
      if (!value.is_array()) return false;
      for (const auto& element : value)
        if (!holds<typename T::value_type>(element)) return false;
      return true;
    } else {
      return true;  // nlohmann::json and other types: left to nlohmann's own conversion
    }
  }
  template <class T>
  struct is_vector : std::false_type {};
  template <class T, class A>
  struct is_vector<std::vector<T, A>> : std::true_type {};

  const nlohmann::json& object_;
  std::string source_;
  std::string prefix_;  // "outer.inner." for a child reader, so errors name the full key
  std::set<std::string> read_;
};

}  // namespace atelier
