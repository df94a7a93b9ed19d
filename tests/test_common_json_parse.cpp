// common/json_parse: JSON from outside is parsed without recursion that the
// input can deepen, and nesting beyond the bound is refused.
#include <doctest/doctest.h>

#include <string>

#include "common/json_parse.hpp"

using namespace frameserve;

TEST_CASE("json parse: nesting is measured outside strings and bounded") {
  CHECK(json_nesting_depth("1") == 0);
  CHECK(json_nesting_depth(R"({"a":[1,{"b":[]}]})") == 4);
  CHECK(json_nesting_depth(R"({"a":"[[[{{{\"[["})") == 1);
  CHECK(json_nesting_depth(R"(["\\",[]])") == 2);  // an escaped backslash ends before the quote
  CHECK(json_nesting_depth("]]]][") == 1);
  // Stops counting once past the bound.
  CHECK(json_nesting_depth(std::string(1000000, '['), 10) == 11);

  rapidjson::Document doc;
  CHECK(parse_json(R"({"a":[1,2]})", doc) == JsonParse::ok);
  CHECK(doc["a"].Size() == 2);
  CHECK(parse_json("{", doc) == JsonParse::syntax_error);
  CHECK(parse_json("", doc) == JsonParse::syntax_error);
  CHECK(parse_json(std::string(64, '[') + std::string(64, ']'), doc) == JsonParse::ok);
  CHECK(parse_json(std::string(65, '[') + std::string(65, ']'), doc) == JsonParse::too_deep);
  CHECK(parse_json(std::string(300000, '[') + std::string(300000, ']'), doc) == JsonParse::too_deep);
  CHECK(parse_json("[[[1]]]", doc, 2) == JsonParse::too_deep);
  // The parse itself is iterative: even without the bound, 300,000 levels
  // parse on the heap, not the stack.
  CHECK(parse_json(std::string(300000, '[') + std::string(300000, ']'), doc, 1000000) == JsonParse::ok);
  CHECK(json_too_deep_message() == "arrays and objects nested more than 64 levels deep; at most 64 are accepted");
}
