#include "support/request_checks.hpp"

#include <doctest/doctest.h>

#include "support/test_env.hpp"

namespace frameserve::testing {

void check_rejected(TestServer& server, const std::string& path, int status, const std::string& fragment) {
  CAPTURE(path);
  auto client = server.client();
  auto res = client.Get(path.c_str(), key_headers(all_files_key()));
  REQUIRE(res);
  CAPTURE(res->body);
  CHECK(res->status == status);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  CHECK(res->body.find("\"success\":false") != std::string::npos);
  CHECK(res->body.find(fragment) != std::string::npos);
}

}  // namespace frameserve::testing
