// The one mapping of ErrorKind to an HTTP status and a CLI exit code: every
// kind a client can cause is a 4xx, only tool and internal failures (and a
// server that cannot serve now) are 5xx, and exit codes tell kinds apart.
#include <doctest/doctest.h>

#include <map>

#include "common/result.hpp"

using namespace frameserve;

TEST_CASE("error kinds map to HTTP statuses and exit codes") {
  const std::map<ErrorKind, std::pair<int, int>> expected = {
      {ErrorKind::invalid_argument, {400, 3}},  {ErrorKind::unauthorized, {401, 4}},
      {ErrorKind::forbidden, {403, 4}},         {ErrorKind::not_found, {404, 5}},
      {ErrorKind::conflict, {409, 6}},          {ErrorKind::gone, {410, 10}},
      {ErrorKind::payload_too_large, {413, 3}}, {ErrorKind::range_not_satisfiable, {416, 3}},
      {ErrorKind::unprocessable, {422, 11}},    {ErrorKind::not_implemented, {501, 7}},
      {ErrorKind::unavailable, {503, 8}},       {ErrorKind::tool_failed, {500, 9}},
      {ErrorKind::internal, {500, 1}},
  };
  for (const auto& [kind, codes] : expected) {
    CAPTURE(static_cast<int>(kind));
    CHECK(http_status_for(kind) == codes.first);
    CHECK(exit_code_for(kind) == codes.second);
  }
}
