// The viewer over HTTP (no browser): GET / answers a browser with the page
// and everyone else with the JSON pointer, the page carries a strict
// Content-Security-Policy, and /ui/ serves the embedded files with
// validators, 304s and a JSON 404 that lists what exists.
#include <doctest/doctest.h>

#include <string>

#include "support/test_server.hpp"

using namespace frameserve::testing;

TEST_CASE("viewer: GET / negotiates between the page and the JSON pointer") {
  TestServer server;
  auto client = server.client();

  auto page = client.Get("/", {{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}});
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->body.find("<title>frameserve viewer</title>") != std::string::npos);
  CHECK(page->body.find("/ui/hls.min.js") != std::string::npos);
  const std::string csp = page->get_header_value("Content-Security-Policy");
  CAPTURE(csp);
  CHECK(csp.find("default-src 'self'") != std::string::npos);
  CHECK(csp.find("script-src 'self';") != std::string::npos);
  CHECK(csp.find("unsafe") == std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(page->get_header_value("Vary") == "Accept");
  CHECK(page->get_header_value("Referrer-Policy") == "no-referrer");

  for (const char* accept : {"application/json", "*/*", ""}) {
    CAPTURE(accept);
    httplib::Headers headers;
    if (*accept) headers.emplace("Accept", accept);
    auto json = client.Get("/", headers);
    REQUIRE(json);
    CHECK(json->status == 200);
    CHECK(json->get_header_value("Content-Type") == "application/json");
    CHECK(json->body.find("\"api\":\"/api/v1\"") != std::string::npos);
    CHECK(json->get_header_value("Vary") == "Accept");
  }
}

TEST_CASE("viewer: /ui/ serves the embedded files with validators") {
  TestServer server;
  auto client = server.client();
  for (const char* name : {"viewer.js", "viewer.css", "player.js", "hls.min.js"}) {
    CAPTURE(name);
    auto res = client.Get((std::string("/ui/") + name).c_str());
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body.size() > 100);
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    const std::string etag = res->get_header_value("ETag");
    REQUIRE(etag.size() > 2);
    auto again = client.Get((std::string("/ui/") + name).c_str(), {{"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
  }
  auto js = client.Get("/ui/viewer.js");
  REQUIRE(js);
  CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  auto css = client.Get("/ui/viewer.css");
  REQUIRE(css);
  CHECK(css->get_header_value("Content-Type") == "text/css; charset=utf-8");

  for (const char* missing : {"/ui/nope.js", "/ui/", "/ui/index.html"}) {
    CAPTURE(missing);
    auto res = client.Get(missing);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->get_header_value("Content-Type") == "application/json");
    CHECK(res->body.find("\"code\":\"asset_not_found\"") != std::string::npos);
    CHECK(res->body.find("viewer.js") != std::string::npos);  // says what exists
  }
}
