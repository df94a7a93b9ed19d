// Table-driven: each row is what nginx 1.22 answers for a 10000-byte file
// (checked by hand with curl; test_integration_video_range.cpp compares
// with a live nginx too).
#include <doctest/doctest.h>

#include "http/range_request.hpp"

using namespace frameserve::http;
using Kind = RangeRequest::Kind;

TEST_CASE("evaluate_range matches nginx") {
  struct Case {
    const char* header;
    Kind kind;
    std::vector<ByteRange> ranges;
  };
  const Case cases[] = {
      {"bytes=0-99", Kind::single, {{0, 99}}},
      {"bytes=9990-", Kind::single, {{9990, 9999}}},
      {"bytes=-10", Kind::single, {{9990, 9999}}},
      {"bytes=-20000", Kind::single, {{0, 9999}}},
      {"bytes=0-99999", Kind::single, {{0, 9999}}},
      {"bytes=9999-", Kind::single, {{9999, 9999}}},
      {"bytes= 0-1", Kind::single, {{0, 1}}},
      {"Bytes=0-1", Kind::single, {{0, 1}}},
      {"bytes=00-01", Kind::single, {{0, 1}}},
      {"bytes=5000-5001,20000-", Kind::single, {{5000, 5001}}},
      {"bytes=0-1,5-6", Kind::multipart, {{0, 1}, {5, 6}}},
      {"bytes=0-1 , 3-4", Kind::multipart, {{0, 1}, {3, 4}}},
      {"bytes=0-0,-1", Kind::multipart, {{0, 0}, {9999, 9999}}},
      {"bytes=0-0,0-0", Kind::multipart, {{0, 0}, {0, 0}}},
      {"bytes=0-,0-", Kind::full, {}},
      {"bytes=5-2", Kind::unsatisfiable, {}},
      {"bytes=20000-", Kind::unsatisfiable, {}},
      {"bytes=10000-10001", Kind::unsatisfiable, {}},
      {"bytes=abc", Kind::unsatisfiable, {}},
      {"bytes=-0", Kind::unsatisfiable, {}},
      {"bytes=-", Kind::unsatisfiable, {}},
      {"bytes=0-1,", Kind::unsatisfiable, {}},
      {"bytes=1-2,abc", Kind::unsatisfiable, {}},
      {"bytes=18446744073709551616-", Kind::unsatisfiable, {}},
      {"bytes=20000-,30000-", Kind::unsatisfiable, {}},
      {"items=0-1", Kind::full, {}},
      {"bytes=", Kind::full, {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.header);
    RangeRequest r = evaluate_range(std::string_view(c.header), 10000);
    CHECK(static_cast<int>(r.kind) == static_cast<int>(c.kind));
    CHECK(r.ranges == c.ranges);
  }
}

TEST_CASE("no Range header means the whole body") { CHECK(evaluate_range(std::nullopt, 10).kind == Kind::full); }

TEST_CASE("an empty body") {
  CHECK(evaluate_range(std::string_view("bytes=0-"), 0).kind == Kind::full);
  CHECK(evaluate_range(std::string_view("bytes=5-"), 0).kind == Kind::unsatisfiable);
}

TEST_CASE("content_range_value") { CHECK(content_range_value({0, 99}, 1000) == "bytes 0-99/1000"); }
