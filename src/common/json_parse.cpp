#include "common/json_parse.hpp"

namespace frameserve {

size_t json_nesting_depth(std::string_view text, size_t stop_above) {
  size_t depth = 0;
  size_t deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > stop_above) return deepest;
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return deepest;
}

JsonParse parse_json(std::string_view text, rapidjson::Document& doc, size_t max_depth) {
  if (json_nesting_depth(text, max_depth) > max_depth) {
    doc.SetNull();
    return JsonParse::too_deep;
  }
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  return doc.HasParseError() ? JsonParse::syntax_error : JsonParse::ok;
}

std::string json_too_deep_message(size_t max_depth) {
  return "arrays and objects nested more than " + std::to_string(max_depth) + " levels deep; at most " +
         std::to_string(max_depth) + " are accepted";
}

}  // namespace frameserve
