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
  // The overrides applied, by full key ("a.b"): the text as the user gave it ("a.b=3"), so that
  // a refused value is reported as the option the user typed, not as the preset file.
  std::map<std::string, std::string> overrides;
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

// The preset a model file was trained with, as stored in it: a resumed training goes on with
// these parameters, not with the preset named on its command line. Error(BadInput) naming the
// file when it is not a model of `method`.
Preset stored_preset(const std::string& method, const std::string& model_path);

// The values a numeric parameter may take: [min, max], either end possibly open.
struct Range {
  double min = 0;
  double max = 0;
  bool min_open = false;  // true: min itself is not allowed
  bool max_open = false;

  static Range closed(double min, double max) { return {min, max, false, false}; }
  static Range open(double min, double max) { return {min, max, true, true}; }
  static Range left_open(double min, double max) { return {min, max, true, false}; }   // (a, b]
  static Range right_open(double min, double max) { return {min, max, false, true}; }  // [a, b)

  bool contains(double value) const;  // false for NaN
  std::string text() const;           // "[0, 1)"
};

// Strict reader for a params object: every key must be read exactly once, in any order, and a
// number must lie in the range its reader gives.
//   ParamReader r(preset);
//   p.lr = r.get<double>("lr", Range::left_open(0, 1));
//   r.finish();  // throws if the JSON has keys nobody read
// Errors name the file and the key (Error(BadInput)); a key the user overrode is named as the
// override instead ("--set lr=5: ...", Error(BadInput)).
class ParamReader {
 public:
  ParamReader(const nlohmann::json& object, std::string source);
  explicit ParamReader(const Preset& preset);  // preset.params, with its overrides

  template <class T>
  T get(const std::string& key) {
    const nlohmann::json& value = find(key);
    // nlohmann converts numbers and booleans into each other silently; a preset must be exact.
    if (!holds<T>(value)) fail(key, wrong_type<T>(value));
    try {
      return value.get<T>();
    } catch (const nlohmann::json::exception&) {
      fail(key, wrong_type<T>(value));
    }
  }
  template <class T>
  T get(const std::string& key, const Range& range) {
    static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, "a range needs a number");
    const T value = get<T>(key);
    check_range(key, static_cast<double>(value), range);
    return value;
  }
  template <class T>
  T get_or(const std::string& key, T fallback) {
    return has(key) ? get<T>(key) : fallback;
  }
  template <class T>
  T get_or(const std::string& key, T fallback, const Range& range) {
    return has(key) ? get<T>(key, range) : fallback;
  }
  bool has(const std::string& key) const;
  ParamReader child(const std::string& key);  // a nested object, read strictly as well
  void finish() const;

  // A rule between parameters: unless `ok`, fails with "parameter <what>", naming the first of
  // `keys` the user overrode, else the file.
  void require(bool ok, const std::vector<std::string>& keys, const std::string& what) const;
  const std::string& source() const { return source_; }

 private:
  const nlohmann::json& find(const std::string& key);
  void check_range(const std::string& key, double value, const Range& range) const;
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;
  // "--set key=value: " for an overridden key (Usage), else "<source>: " (BadInput).
  [[noreturn]] void fail_about(const std::string& full_key, const std::string& message) const;

  template <class T>
  static std::string wrong_type(const nlohmann::json& value) {
    std::string wanted = "a value of another kind";
    if constexpr (std::is_same_v<T, bool>) {
      wanted = "true or false";
    } else if constexpr (std::is_integral_v<T>) {
      if (value.is_number_integer()) return "is out of range";
      wanted = "a whole number";
    } else if constexpr (std::is_floating_point_v<T>) {
      wanted = "a number";
    } else if constexpr (std::is_same_v<T, std::string>) {
      wanted = "a string";
    } else if constexpr (is_vector<T>::value) {
      wanted = "a list";
    }
    return "has the wrong type: it must be " + wanted + ", not " + describe(value);
  }
  static std::string describe(const nlohmann::json& value);  // "2.5", "a string", "an array"

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
  const std::map<std::string, std::string>* overrides_ = nullptr;  // the preset's, if any
};

}  // namespace atelier
