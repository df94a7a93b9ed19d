// The log writer: whatever a message holds, it writes one line of valid
// UTF-8 of bounded length (control characters, bytes that are not UTF-8 and
// backslashes escaped), so bytes a client chose cannot forge a line.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "common/log.hpp"
#include "common/text.hpp"
#include "support/stderr_capture.hpp"

using namespace frameserve;
using namespace frameserve::testing;

TEST_CASE("log lines: a message cannot make a second line, invalid UTF-8 or an endless line") {
  StderrCapture capture;
  const char raw[] =
      "one\ntwo\r\x1b[31m\x7f \xff\xfe back\\slash \xc2\x85 \xe2\x80\xa8 \xe2\x80\xae caf\xc3\xa9 \x00"
      "end";
  log::info(std::string(raw, sizeof raw - 1));
  log::info(std::string(100000, 'a'));
  std::string text = capture.text();
  CAPTURE(text.substr(0, 400));
  REQUIRE(std::count(text.begin(), text.end(), '\n') == 2);
  CHECK(is_valid_utf8(text));
  std::string first = text.substr(0, text.find('\n'));
  CHECK(first.find(R"(one\ntwo\r\x1b[31m\x7f \xff\xfe back\\slash \u0085 \u2028 \u202e caf)"
                   "\xc3\xa9"
                   R"( \x00end)") != std::string::npos);
  std::string second = text.substr(first.size() + 1);
  CHECK(second.size() < 9000);
  CHECK(second.find("more bytes") != std::string::npos);
}

TEST_CASE("log::field bounds a client's value without splitting a character; log::escape leaves text alone") {
  CHECK(log::field("short") == "short");
  CHECK(log::field(std::string(log::k_max_field_bytes, 'x')) == std::string(log::k_max_field_bytes, 'x'));
  std::string cut = log::field(std::string(5000, 'x'), 100);
  CHECK(cut == std::string(100, 'x') + "...(4900 more bytes)");
  // 2-byte characters: a cut at an odd byte backs off to the character's start.
  std::string accents;
  for (int i = 0; i < 10; ++i) accents += "\xc3\xa9";
  std::string kept = log::field(accents, 5);
  CHECK(kept == "\xc3\xa9\xc3\xa9...(16 more bytes)");
  CHECK(is_valid_utf8(kept));
  CHECK(log::escape("GET /api/v1/files?limit=10 200 12B 1.2ms key:abc caf\xc3\xa9 \xe6\x97\xa5") ==
        "GET /api/v1/files?limit=10 200 12B 1.2ms key:abc caf\xc3\xa9 \xe6\x97\xa5");
  CHECK(log::escape("a\tb\\c\x01") == "a\\tb\\\\c\\x01");
  CHECK(log::escape("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate is not UTF-8
}
