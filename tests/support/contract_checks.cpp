#include "support/contract_checks.hpp"

#include <doctest/doctest.h>

#include "support/openapi_contract.hpp"

namespace frameserve::testing {

void check_response_contract(const httplib::Request& req, const httplib::Response& res) {
  // A client with a content receiver (a stream read piecewise) leaves the
  // body empty: then only the status is checked.
  auto problems = OpenApiContract::embedded().check_response(req.method, req.path, res.status, res.headers, res.body);
  for (const std::string& problem : problems) {
    std::string message =
        "response differs from api/openapi.json: " + problem + " (request: " + req.method + " " + req.path + ")";
    FAIL_CHECK(message);
  }
}

}  // namespace frameserve::testing
