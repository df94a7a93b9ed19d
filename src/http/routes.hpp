// The route table: every endpoint frameserve serves, in one list.
//
// api/openapi.json documents each of them: tests/test_http_openapi_routes.cpp
// compares route_table() with the document's paths and methods, both ways, so
// a route added here without its entry there (or the reverse) fails the tests.
#pragma once

#include <vector>

#include "http/router.hpp"

namespace frameserve::http {

void register_routes(Router& router);

// What register_routes() registers, recorded without a server; cannot fail.
std::vector<RouteInfo> route_table();

}  // namespace frameserve::http
