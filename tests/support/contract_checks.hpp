// The response observer of the test binary: every response a TestServer
// client receives is checked against api/openapi.json (OpenApiContract), and
// a response that does not match fails the test that received it, naming the
// request and what differs.
#pragma once

#include <httplib.h>

namespace frameserve::testing {

// Adds a doctest failure (the test goes on) for each way the response
// differs from the document; silent when it matches.
void check_response_contract(const httplib::Request& req, const httplib::Response& res);

}  // namespace frameserve::testing
