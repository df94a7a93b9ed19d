// GET /api/v1/openapi.json over real HTTP: it serves the committed document
// (no credentials), /api/v1 links to it, and a real OpenAPI 3.1 validator
// (@seriousme/openapi-schema-validator, pinned in tools/openapi and installed
// by scripts/install_openapi_tools.sh) accepts it — and rejects a broken
// copy, so a validator that accepts anything cannot pass. Also: the
// responses a TestServer client receives do reach the contract check.
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/text.hpp"
#include "http/openapi_document.hpp"
#include "support/contract_checks.hpp"
#include "support/skip_or_fail.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;
namespace fs = std::filesystem;

namespace {

// The first executable `name` on PATH, or "" when there is none.
std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  for (std::string_view dir : split(path ? path : "/usr/local/bin:/usr/bin:/bin", ':')) {
    std::string candidate = std::string(dir) + "/" + name;
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Runs the pinned validator on `text`; its exit code and report.
CommandResult validate_openapi(const std::string& node, const std::string& cli, const std::string& text,
                               const std::string& name) {
  fs::path file = fs::temp_directory_path() / ("frameserve-openapi-" + std::to_string(::getpid()) + "-" + name);
  {
    std::ofstream out(file, std::ios::binary);
    out << text;
  }
  CommandResult result = run_command({node, cli, file.string()});
  fs::remove(file);
  return result;
}

}  // namespace

TEST_CASE("openapi: GET /api/v1/openapi.json serves the document, linked from /api/v1, and it is valid OpenAPI 3.1") {
  TestServer server;
  auto client = server.client();
  auto res = client.Get("/api/v1/openapi.json");  // no credentials needed
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  CHECK(res->body == http::openapi_document());
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  REQUIRE(doc.IsObject());
  CHECK(std::string(doc["openapi"].GetString()) == "3.1.0");

  auto index = client.Get("/api/v1");
  REQUIRE(index);
  rapidjson::Document links;
  links.Parse(index->body.c_str());
  REQUIRE(links.IsObject());
  CHECK(std::string(links["links"]["openapi"].GetString()) == "/api/v1/openapi.json");

  std::string node = find_on_path("node");
  std::string cli =
      repo_root() + "/tools/openapi/node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js";
  if (node.empty() || ::access(cli.c_str(), R_OK) != 0) {
    skip_or_fail("the OpenAPI validator is not installed (node: " + (node.empty() ? std::string("missing") : node) +
                 ", " + cli + "): run scripts/install_openapi_tools.sh");
    return;
  }
  CommandResult valid = validate_openapi(node, cli, res->body, "served.json");
  INFO("validator output: " << valid.out << valid.err);
  CHECK(valid.exit_code == 0);
  CHECK(valid.out.find("\"valid\": true") != std::string::npos);

  // A dangling $ref must be refused: proves the validator really looks.
  const std::string ref = "\"#/components/schemas/BBox\"";
  std::string broken = res->body;
  size_t at = broken.find(ref);
  REQUIRE(at != std::string::npos);
  broken.replace(at, ref.size(), "\"#/components/schemas/Nope\"");
  CommandResult refused = validate_openapi(node, cli, broken, "broken.json");
  INFO("validator output on the broken copy: " << refused.out << refused.err);
  CHECK(refused.exit_code != 0);
  CHECK(refused.out.find("\"valid\": false") != std::string::npos);
}

TEST_CASE("openapi: responses a TestServer client receives reach the contract check") {
  TestServer server;
  std::atomic<int> seen{0};
  set_response_observer([&seen](const httplib::Request& req, const httplib::Response& res) {
    ++seen;
    check_response_contract(req, res);
  });
  auto client = server.client();
  auto health = client.Get("/healthz");
  auto missing = client.Get("/api/v1/files");  // 401, the error envelope
  set_response_observer(check_response_contract);
  REQUIRE(health);
  REQUIRE(missing);
  CHECK(missing->status == 401);
  CHECK(seen == 2);
}
