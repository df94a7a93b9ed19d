#include <doctest/doctest.h>

#include "http/conditional.hpp"

using namespace frameserve::http;

TEST_CASE("http dates round-trip") {
  CHECK(http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);
  CHECK_FALSE(parse_http_date("yesterday"));
}

TEST_CASE("If-None-Match and If-Modified-Since") {
  Validators v{"\"abc\"", "Sun, 06 Nov 1994 08:49:37 GMT"};
  CHECK(not_modified(std::string_view("\"abc\""), std::nullopt, v));
  CHECK(not_modified(std::string_view("W/\"abc\""), std::nullopt, v));
  CHECK(not_modified(std::string_view("\"x\", \"abc\""), std::nullopt, v));
  CHECK(not_modified(std::string_view("*"), std::nullopt, v));
  CHECK_FALSE(not_modified(std::string_view("\"x\""), std::nullopt, v));
  // If-None-Match wins over If-Modified-Since.
  CHECK_FALSE(not_modified(std::string_view("\"x\""), std::string_view("Sun, 06 Nov 1994 08:49:37 GMT"), v));
  CHECK(not_modified(std::nullopt, std::string_view("Sun, 06 Nov 1994 08:49:37 GMT"), v));
  CHECK(not_modified(std::nullopt, std::string_view("Mon, 07 Nov 1994 08:49:37 GMT"), v));
  CHECK_FALSE(not_modified(std::nullopt, std::string_view("Sat, 05 Nov 1994 08:49:37 GMT"), v));
  CHECK_FALSE(not_modified(std::nullopt, std::nullopt, v));
}

TEST_CASE("If-Range") {
  Validators v{"\"abc\"", "Sun, 06 Nov 1994 08:49:37 GMT"};
  CHECK(if_range_matches(std::nullopt, v));
  CHECK(if_range_matches(std::string_view("\"abc\""), v));
  CHECK_FALSE(if_range_matches(std::string_view("W/\"abc\""), v));
  CHECK_FALSE(if_range_matches(std::string_view("\"old\""), v));
  CHECK(if_range_matches(std::string_view("Sun, 06 Nov 1994 08:49:37 GMT"), v));
  CHECK_FALSE(if_range_matches(std::string_view("Mon, 07 Nov 1994 08:49:37 GMT"), v));
}
