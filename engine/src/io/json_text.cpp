#include "atelier/json_text.h"

#include "atelier/error.h"

namespace atelier {
namespace {

using nlohmann::json;

// Thrown from the parser callback when a container opens too deep; caught below.
struct TooDeep {};

json parse_limited(const std::string& text) {
  const json::parser_callback_t refuse_deep = [](int depth, json::parse_event_t event, json&) {
    const bool opens =
        event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (opens && depth >= kMaxJsonDepth) throw TooDeep{};
    return true;
  };
  return json::parse(text, refuse_deep);
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; users need what follows.
std::string plain_message(const json::exception& e) {
  const std::string text = e.what();
  const auto end = text.rfind("] ", text.find(' '));
  return text[0] == '[' && end != std::string::npos ? text.substr(end + 2) : text;
}

}  // namespace

json parse_json_text(const std::string& text, const std::string& source) {
  try {
    return parse_limited(text);
  } catch (const TooDeep&) {
    throw bad_input(source + ": bad JSON: nested more than " + std::to_string(kMaxJsonDepth) +
                    " levels deep");
  } catch (const json::exception& e) {
    throw bad_input(source + ": bad JSON: " + plain_message(e));
  }
}

std::optional<json> try_parse_json_text(const std::string& text) {
  try {
    return parse_limited(text);
  } catch (const TooDeep&) {
    return std::nullopt;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::string json_text(const json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

}  // namespace atelier
