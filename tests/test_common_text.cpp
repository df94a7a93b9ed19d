#include <doctest/doctest.h>

#include <cmath>

#include "common/json_writer.hpp"
#include "common/text.hpp"

using namespace frameserve;

TEST_CASE("parse_int64 accepts whole input only") {
  struct Case {
    const char* text;
    std::optional<int64_t> expected;
  };
  const Case cases[] = {
      {"0", 0},
      {"42", 42},
      {"-7", -7},
      {"9223372036854775807", INT64_MAX},
      {"", std::nullopt},
      {" 1", std::nullopt},
      {"1 ", std::nullopt},
      {"12abc", std::nullopt},
      {"+1", std::nullopt},
      {"1.0", std::nullopt},
      {"9223372036854775808", std::nullopt},
      {"0x10", std::nullopt},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(parse_int64(c.text) == c.expected);
  }
}

TEST_CASE("parse_double rejects non-finite and malformed numbers") {
  CHECK(parse_double("1.5") == 1.5);
  CHECK(parse_double("-2") == -2.0);
  CHECK(parse_double("1e3") == 1000.0);
  CHECK_FALSE(parse_double("nan"));
  CHECK_FALSE(parse_double("inf"));
  CHECK_FALSE(parse_double("1e999"));
  CHECK_FALSE(parse_double(""));
  CHECK_FALSE(parse_double("1,5"));
  CHECK_FALSE(parse_double("+1"));
}

TEST_CASE("file and identity uuids") {
  CHECK(is_file_uuid("aeed71342a899fe4b4c57b7d41bcb692"));
  CHECK_FALSE(is_file_uuid("AEED71342A899FE4B4C57B7D41BCB692"));
  CHECK_FALSE(is_file_uuid("aeed71342a899fe4b4c57b7d41bcb69"));
  CHECK_FALSE(is_file_uuid("aeed71342a899fe4b4c57b7d41bcb69g"));
  CHECK_FALSE(is_file_uuid("../../../../etc/passwd0000000000"));
  CHECK(is_identity_uuid("c3545906-c82d-4b66-aa1d-150bc02decce"));
  CHECK(is_identity_uuid("C3545906-C82D-4B66-AA1D-150BC02DECCE"));
  CHECK_FALSE(is_identity_uuid("c3545906c82d4b66aa1d150bc02decce"));
  CHECK_FALSE(is_identity_uuid("c3545906-c82d-4b66-aa1d-150bc02decc"));
}

TEST_CASE("quote_for_message escapes control characters and shortens") {
  CHECK(quote_for_message("a\"b\nc") == "\"a\\\"b\\x0ac\"");
  CHECK(quote_for_message(std::string(100, 'x'), 3) == "\"xxx...\"");
}

TEST_CASE("JsonWriter escapes names and never writes NaN") {
  JsonWriter w;
  w.begin_object().field("name", "O'Brien: \"x\", \\z \xe5\xbc\xa0").field("nan", std::nan(""));
  w.field("score", 9.46).field("whole", 2.0).end_object();
  CHECK(w.str() == "{\"name\":\"O'Brien: \\\"x\\\", \\\\z \xe5\xbc\xa0\",\"nan\":null,\"score\":9.46,\"whole\":2.0}");
  CHECK(error_json("not_found", "no") == R"({"success":false,"error":{"code":"not_found","message":"no"}})");
}

TEST_CASE("UTF-8: well-formed sequences pass, everything else is found and replaced") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ASCII"));
  CHECK(is_valid_utf8("Audrey Hepburn \xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xac"));
  CHECK(utf8_sequence_length("\xf0\x9f\x8e\xac") == 4);
  const char* invalid[] = {
      "\xff",         "\xfe\xff",         "\x80",              // never in UTF-8; a lone continuation byte
      "\xc3",         "\xe2\x82",         "\xf0\x9f\x8e",      // truncated
      "\xc0\xaf",     "\xe0\x80\xaf",     "\xf0\x80\x80\xaf",  // overlong
      "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",  // surrogate, above U+10FFFF
  };
  for (const char* text : invalid) {
    CAPTURE(text);
    CHECK_FALSE(is_valid_utf8(text));
    CHECK(is_valid_utf8(to_valid_utf8(text)));
  }
  CHECK(to_valid_utf8("a\xff"
                      "b") ==
        "a\xef\xbf\xbd"
        "b");
  CHECK(to_valid_utf8("\xc3\xa9\xc3") == "\xc3\xa9\xef\xbf\xbd");
  CHECK(to_valid_utf8("ok \xe2\x82\xac") == "ok \xe2\x82\xac");
}

TEST_CASE("quote_for_message escapes bytes that are not UTF-8 and keeps characters whole") {
  CHECK(quote_for_message("\xff\xfe") == "\"\\xff\\xfe\"");
  CHECK(quote_for_message("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(quote_for_message("\xc3\xa9\xc3\xa9\xc3\xa9", 2) == "\"\xc3\xa9\xc3\xa9...\"");
  CHECK(is_valid_utf8(quote_for_message("\xe2\x82\xac\xe2\x82", 80)));
}

TEST_CASE("JsonWriter never writes invalid UTF-8") {
  JsonWriter w;
  w.begin_object().field("k\xff", "v\xfe\xc3\xa9").end_object();
  CHECK(w.str() == "{\"k\xef\xbf\xbd\":\"v\xef\xbf\xbd\xc3\xa9\"}");
  CHECK(is_valid_utf8(error_json("bad", "\xff")));
}
