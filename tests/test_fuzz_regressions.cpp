// Regression tests for what the libFuzzer harnesses (tests/fuzz) found.
// Each case is the smallest input of a crash or undefined behaviour that the
// fuzzer reported, kept here so the doctest suite (plain and ASan+UBSan)
// guards it without clang.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "fuzz/import_fuzz_input.hpp"
#include "import/detection_parser.hpp"
#include "import/line_splitter.hpp"
#include "overlay/label_drawing.hpp"

using namespace frameserve;

TEST_CASE("fuzz regression: MOT numbers beyond int64 are refused with a message, never converted") {
  // Converting 1e300 to int64_t was undefined behaviour (fuzz_mot_parser).
  struct Case {
    const char* line;
    const char* says;
  };
  const Case cases[] = {
      {"1e300,1,10,20,30,40,0.9,-1,-1", "column 1 (frame) must be a whole number"},
      {"1,1e300,10,20,30,40,0.9,-1,-1", "column 2 (id) must be a whole number"},
      {"1,1,1e300,20,30,40,0.9,-1,-1", "column 3 (bb_left) is far outside any picture"},
      {"1,1,10,-1e300,30,40,0.9,-1,-1", "column 4 (bb_top) is far outside any picture"},
      {"1,1,10,20,1e10,40,0.9,-1,-1", "column 5 (bb_width) is far outside any picture"},
      {"1,1,10,20,30,-1e9,0.9,-1,-1", "column 6 (bb_height) is far outside any picture"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.line);
    auto r = import::parse_mot_line(c.line);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::invalid_argument);
    CHECK(r.error().message.find(c.says) != std::string::npos);
  }
  // The largest values still accepted convert exactly.
  auto big = import::parse_mot_line("8999999999999999,8999999999999998,999999999,-999999999,1,1,1,-1,-1");
  REQUIRE(big);
  REQUIRE(big.value());
  CHECK(big.value()->frame_number == 8999999999999998);
  CHECK(big.value()->trace_id == 8999999999999998);
  CHECK(big.value()->x == 999999999);
  CHECK(big.value()->y == -999999999);
}

TEST_CASE("fuzz regression: every trace id has a colour, INT64_MIN included") {
  // Negating INT64_MIN was undefined behaviour (fuzz_label_glyphs); the
  // ASan+UBSan build of this test stops there without the fix.
  auto same = [](overlay::YuvColor a, overlay::YuvColor b) { return a.y == b.y && a.u == b.u && a.v == b.v; };
  // 2^63 mod 12 = 8: the colour of trace 8.
  CHECK(same(overlay::trace_color(std::numeric_limits<int64_t>::min()), overlay::trace_color(8)));
  CHECK(same(overlay::trace_color(-5), overlay::trace_color(5)));
  CHECK(same(overlay::trace_color(std::numeric_limits<int64_t>::max()), overlay::trace_color(7)));
}

TEST_CASE("fuzz regression: the grown seeds (deep nesting, long lines) are refused, never a stack overflow") {
  // tests/fuzz/corpus/jsonl_parser/seed11..13 as the harness grows them, and
  // the report's 200,000 levels: the recursive parse died of SIGSEGV there.
  struct Case {
    std::string seed;
    const char* says;
  };
  const Case cases[] = {
      {"\x01[", "nested more than 64 levels deep"},
      {"\x01{\"a\":", "nested more than 64 levels deep"},
      {"\x01"
       "a",
       "not valid JSON"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.seed);
    std::string text = fuzz::import_bytes(reinterpret_cast<const uint8_t*>(c.seed.data()), c.seed.size());
    CHECK(text.size() >= fuzz::k_grown_size);
    auto r = import::parse_jsonl_line(text);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find(c.says) != std::string::npos);
    // The harness's splitter refuses the line for its length first.
    int lines = 0;
    fuzz::split_lines(text, [&](std::string_view) { ++lines; });
    CHECK(lines == 0);
  }
  auto report = import::parse_jsonl_line(std::string(200000, '[') + std::string(200000, ']'));
  REQUIRE_FALSE(report);
  CHECK(report.error().message.find("nested more than 64 levels deep") != std::string::npos);
}
