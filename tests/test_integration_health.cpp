// The database going away and coming back while frameserve keeps running.
#include <doctest/doctest.h>

#include "support/skip_or_fail.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

TEST_CASE("a database restart: 503 while down, healthy again after, no restart of frameserve") {
  std::string pg_dir = test_pg_dir();
  if (pg_dir.empty()) {
    skip_or_fail("FRAMESERVE_TEST_PG_DIR is not set (the cluster to restart); run through scripts/run_tests.sh");
    return;
  }
  const std::string& file = registered_fixture("noaudio.mp4");
  const std::string& key = all_files_key();
  TestServer server;
  auto client = server.client();
  std::string path = "/api/v1/file/" + file + "/video";
  httplib::Headers headers = {{"X-API-Key", key}, {"Range", "bytes=0-1"}};
  auto healthy = client.Get("/healthz");
  REQUIRE(healthy);
  REQUIRE(healthy->status == 200);
  auto served = client.Get(path.c_str(), headers);
  REQUIRE(served);
  REQUIRE(served->status == 206);

  std::string script = repo_root() + "/scripts/pg_cluster.sh";
  REQUIRE(run_command({script, "stop", pg_dir}).exit_code == 0);
  // While the database is down, requests are answered with a 503. (How fast
  // is not asserted here: tests assert no wall-clock bound.)
  auto down = client.Get("/healthz");
  REQUIRE(down);
  CHECK(down->status == 503);
  CHECK(down->has_header("Retry-After"));
  auto file_down = client.Get(path.c_str(), headers);
  REQUIRE(file_down);
  CHECK(file_down->status == 503);
  CHECK(file_down->body.find("\"success\":false") != std::string::npos);

  CommandResult restarted = run_command({script, "start", pg_dir, "--fast"});
  REQUIRE(restarted.exit_code == 0);
  auto up = client.Get("/healthz");
  REQUIRE(up);
  CHECK(up->status == 200);
  auto served_again = client.Get(path.c_str(), headers);
  REQUIRE(served_again);
  CHECK(served_again->status == 206);
}
