// Checks shared by integration tests. They use doctest's assertions, so
// they live apart from the support code that the bench binary links too
// (the bench has no doctest runner).
#pragma once

#include <string>

#include "support/test_server.hpp"

namespace frameserve::testing {

// GETs `path` with the shared key and checks the answer is `status` with a
// JSON error body containing `fragment` (a code or part of the message).
void check_rejected(TestServer& server, const std::string& path, int status, const std::string& fragment);

}  // namespace frameserve::testing
