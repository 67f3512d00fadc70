// atelier/json_text.h — reading JSON that anyone may have written, and writing JSON that never
// fails.
//
// Every JSON the program reads (model files, presets, --set values, dataset manifests) goes
// through parse_json_text: its nesting is limited, because copying, comparing or printing a
// nlohmann::json recurses once per level, so a crafted file nested 200,000 levels deep would end
// the program with a stack overflow. Every JSON it writes goes through json_text: paths are bytes,
// and a name that is not UTF-8 is written with U+FFFD in place of the bad bytes instead of
// throwing.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace atelier {

// Far deeper than anything Atelier writes (its model files nest 5 levels), far shallower than
// what recursion over a document can afford.
constexpr int kMaxJsonDepth = 100;

// Parses `text`. Error(BadInput) "<source>: bad JSON: ..." for malformed text, numbers out of
// range (1e400) or nesting deeper than kMaxJsonDepth.
nlohmann::json parse_json_text(const std::string& text, const std::string& source);

// The value of `text` if it is JSON within the limits above, else nothing.
std::optional<nlohmann::json> try_parse_json_text(const std::string& text);

// value.dump(indent), with bytes that are not UTF-8 replaced by U+FFFD. Never throws.
std::string json_text(const nlohmann::json& value, int indent = -1);

}  // namespace atelier
