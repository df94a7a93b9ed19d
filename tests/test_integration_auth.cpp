// The auth matrix over real HTTP: API keys and JWTs, 401/403/404/400 in
// the documented order, always with the JSON error envelope.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <ctime>
#include <sstream>

#include "auth/crypto.hpp"
#include "auth/jwt_codec.hpp"
#include "common/text.hpp"
#include "support/stderr_capture.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
std::string error_code(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  if (!doc.IsObject() || !doc.HasMember("success") || doc["success"].GetBool() || !doc.HasMember("error")) return "";
  const auto& error = doc["error"];
  if (!error.HasMember("code") || !error.HasMember("message") || std::string(error["message"].GetString()).empty()) {
    return "";
  }
  return error["code"].GetString();
}

std::string error_message(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  if (!doc.IsObject() || !doc.HasMember("error") || !doc["error"].IsObject()) return "";
  const auto& error = doc["error"];
  if (!error.HasMember("message") || !error["message"].IsString()) return "";
  return error["message"].GetString();
}

struct Probe {
  int status;
  std::string code;
  std::string message;
};

Probe get(TestServer& server, const std::string& path, const httplib::Headers& headers) {
  auto client = server.client();
  auto res = client.Get(path.c_str(), headers);
  REQUIRE(res);
  bool failed = res->status >= 400;
  return Probe{res->status, failed ? error_code(res->body) : "", failed ? error_message(res->body) : ""};
}

// A 401 that names `given` and none of the other two places a credential
// can be sent: a client is told about what it sent, and a <video src> is
// never told to use a header.
void check_names_only(const Probe& p, const std::string& given) {
  CAPTURE(p.message);
  CHECK(p.status == 401);
  const std::string places[] = {"X-API-Key", "Authorization", "access_token"};
  for (const std::string& place : places) {
    if (place == given)
      CHECK(p.message.find(place) != std::string::npos);
    else
      CHECK(p.message.find(place) == std::string::npos);
  }
}

std::string key_for(const std::vector<std::string>& files) {
  std::vector<std::string> args = {"key", "create", "--name", "matrix"};
  for (const auto& f : files) args.insert(args.end(), {"--file", f});
  CommandResult r = run_cli(args);
  REQUIRE(r.exit_code == 0);
  return std::string(trim(r.out));
}

std::string bearer(const std::string& token) { return "Bearer " + token; }
}  // namespace

TEST_CASE("auth matrix") {
  const std::string& file_a = registered_fixture("noaudio.mp4");
  const std::string& file_b = registered_fixture("bframes.mp4");
  const std::string unknown = "0123456789abcdef0123456789abcdef";
  TestServer server;
  auto path = [](const std::string& uuid) { return "/api/v1/file/" + uuid + "/video"; };
  httplib::Headers range = {{"Range", "bytes=0-15"}};
  auto with = [&](httplib::Headers h) {
    h.insert(range.begin(), range.end());
    return h;
  };
  std::string key_a = key_for({file_a});
  const std::string& key_all = all_files_key();

  SUBCASE("no credentials: 401") {
    Probe p = get(server, path(file_a), range);
    CHECK(p.status == 401);
    CHECK(p.code == "missing_credentials");
  }
  SUBCASE("API keys") {
    CHECK(get(server, path(file_a), with({{"X-API-Key", key_a}})).status == 206);
    CHECK(get(server, path(file_b), with({{"X-API-Key", key_a}})).code == "file_not_covered");
    CHECK(get(server, path(file_b), with({{"X-API-Key", key_a}})).status == 403);
    CHECK(get(server, path(file_b), with({{"X-API-Key", key_all}})).status == 206);
    CHECK(get(server, path(unknown), with({{"X-API-Key", key_all}})).status == 404);
    CHECK(get(server, path(unknown), with({{"X-API-Key", key_all}})).code == "file_not_found");
    // A key limited to some files learns nothing about others.
    CHECK(get(server, path(unknown), with({{"X-API-Key", key_a}})).status == 403);
    CHECK(get(server, path("not-a-uuid"), with({{"X-API-Key", key_all}})).status == 400);
    CHECK(get(server, path("not-a-uuid"), with({{"X-API-Key", key_all}})).code == "bad_file_uuid");
    CHECK(get(server, path("AEED71342A899FE4B4C57B7D41BCB692"), with({{"X-API-Key", key_all}})).status == 400);
    CHECK(get(server, path("not-a-uuid"), range).status == 401);
  }
  SUBCASE("bad and revoked keys: 401") {
    CHECK(get(server, path(file_a), with({{"X-API-Key", "nonsense"}})).code == "invalid_api_key");
    std::string forged = key_a.substr(0, key_a.size() - 4) + "0000";
    CHECK(get(server, path(file_a), with({{"X-API-Key", forged}})).status == 401);
    std::string key_c = key_for({file_a});
    REQUIRE(get(server, path(file_a), with({{"X-API-Key", key_c}})).status == 206);
    REQUIRE(run_cli({"key", "revoke", key_c.substr(4, 12)}).exit_code == 0);
    CHECK(get(server, path(file_a), with({{"X-API-Key", key_c}})).status == 401);
    CHECK(run_cli({"key", "revoke", key_c.substr(4, 12)}).exit_code == 5);
  }
  SUBCASE("JWT") {
    auth::JwtCodec codec("test-secret");
    std::time_t now = std::time(nullptr);
    auto for_a = codec.mint({file_a}, false, std::chrono::seconds(60), now, "tester");
    auto for_all = codec.mint({}, true, std::chrono::seconds(60), now, "tester");
    auto expired = codec.mint({file_a}, false, std::chrono::seconds(60), now - 3600, "tester");
    auto other_secret = auth::JwtCodec("wrong").mint({file_a}, false, std::chrono::seconds(60), now, "tester");
    REQUIRE(for_a);
    REQUIRE(for_all);
    REQUIRE(expired);
    REQUIRE(other_secret);
    CHECK(get(server, path(file_a), with({{"Authorization", bearer(*for_a)}})).status == 206);
    CHECK(get(server, path(file_b), with({{"Authorization", bearer(*for_a)}})).status == 403);
    CHECK(get(server, path(file_b), with({{"Authorization", bearer(*for_all)}})).status == 206);
    CHECK(get(server, path(unknown), with({{"Authorization", bearer(*for_all)}})).status == 404);
    CHECK(get(server, path(file_a), with({{"Authorization", bearer(*expired)}})).code == "token_expired");
    CHECK(get(server, path(file_a), with({{"Authorization", bearer(*other_secret)}})).status == 401);
    std::string none = auth::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                       auth::base64url_encode(R"({"files":"*"})") + ".";
    CHECK(get(server, path(file_a), with({{"Authorization", bearer(none)}})).code == "unsupported_algorithm");
    CHECK(get(server, path(file_a), with({{"Authorization", "Basic dXNlcjpwYXNz"}})).status == 401);
    // CLI-minted tokens work the same.
    CommandResult minted =
        run_command({frameserve_bin(), "token", "create", "--file", file_a, "--jwt-secret", "test-secret"});
    REQUIRE(minted.exit_code == 0);
    CHECK(get(server, path(file_a), with({{"Authorization", bearer(std::string(trim(minted.out)))}})).status == 206);
  }
  SUBCASE("a token in the query string, for <video src>") {
    CHECK(get(server, path(file_a) + "?access_token=" + key_a, range).status == 206);
    auto token = auth::JwtCodec("test-secret").mint({file_a}, false, std::chrono::seconds(60), std::time(nullptr), "");
    REQUIRE(token);
    CHECK(get(server, path(file_a) + "?access_token=" + *token, range).status == 206);
  }
  SUBCASE("every 401 names the credential that was given") {
    auth::JwtCodec codec("test-secret");
    std::time_t now = std::time(nullptr);
    auto expired = codec.mint({file_a}, false, std::chrono::seconds(60), now - 3600, "tester");
    REQUIRE(expired);
    std::string forged = key_a.substr(0, key_a.size() - 4) + "0000";
    check_names_only(get(server, path(file_a), with({{"X-API-Key", "nonsense"}})), "X-API-Key");
    check_names_only(get(server, path(file_a), with({{"X-API-Key", forged}})), "X-API-Key");
    check_names_only(get(server, path(file_a), with({{"Authorization", bearer("nonsense")}})), "Authorization");
    check_names_only(get(server, path(file_a), with({{"Authorization", bearer(*expired)}})), "Authorization");
    Probe query_key = get(server, path(file_a) + "?access_token=fsk_nonsense", range);
    check_names_only(query_key, "access_token");
    CHECK(query_key.code == "invalid_api_key");
    check_names_only(get(server, path(file_a) + "?access_token=" + forged, range), "access_token");
    Probe query_expired = get(server, path(file_a) + "?access_token=" + *expired, range);
    check_names_only(query_expired, "access_token");
    CHECK(query_expired.code == "token_expired");
    check_names_only(get(server, path(file_a) + "?access_token=nonsense", range), "access_token");
    check_names_only(get(server, path(file_a) + "?access_token=", range), "access_token");
  }
  SUBCASE("tokens without exp are refused unless the server allows them") {
    std::string forever = auth::base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                          auth::base64url_encode(R"({"files":"*","sub":"forever"})");
    forever += "." + auth::base64url_encode(auth::hmac_sha256("test-secret", forever));
    Probe refused = get(server, path(file_a), with({{"Authorization", bearer(forever)}}));
    CHECK(refused.status == 401);
    CHECK(refused.code == "token_without_exp");
    app::ServerConfig config = TestServer::test_config();
    config.jwt_allow_no_exp = true;
    TestServer lenient(config);
    CHECK(get(lenient, path(file_a), with({{"Authorization", bearer(forever)}})).status == 206);
    // A NumericDate may have a fraction: a future one is valid.
    std::string fractional = auth::base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                             auth::base64url_encode(R"({"files":"*","exp":4102444800.5,"nbf":1700000000.25})");
    fractional += "." + auth::base64url_encode(auth::hmac_sha256("test-secret", fractional));
    CHECK(get(server, path(file_a), with({{"Authorization", bearer(fractional)}})).status == 206);
    // The CLI never mints a token without an end.
    CHECK(run_command({frameserve_bin(), "token", "create", "--all", "--ttl", "0", "--jwt-secret", "test-secret"})
              .exit_code == 2);
  }
  SUBCASE("a server without a JWT secret refuses bearer tokens") {
    app::ServerConfig config = TestServer::test_config();
    config.jwt_secret.clear();
    TestServer keys_only(config);
    auto token = auth::JwtCodec("test-secret").mint({}, true, std::chrono::seconds(60), std::time(nullptr), "");
    REQUIRE(token);
    Probe header = get(keys_only, path(file_a), with({{"Authorization", bearer(*token)}}));
    CHECK(header.code == "jwt_not_configured");
    CHECK(header.message.find("X-API-Key") != std::string::npos);  // the way that works on this server
    Probe query = get(keys_only, path(file_a) + "?access_token=" + *token, range);
    CHECK(query.code == "jwt_not_configured");
    check_names_only(query, "access_token");
    CHECK(get(keys_only, path(file_a), with({{"X-API-Key", key_a}})).status == 206);
  }
}

TEST_CASE("errors are JSON everywhere") {
  TestServer server;
  auto client = server.client();
  auto unknown_route = client.Get("/api/v2/nothing");
  REQUIRE(unknown_route);
  CHECK(unknown_route->status == 404);
  CHECK(error_code(unknown_route->body) == "route_not_found");
  CHECK(unknown_route->get_header_value("Content-Type") == "application/json");
  auto wrong_method = client.Post("/healthz", "", "text/plain");
  REQUIRE(wrong_method);
  CHECK(wrong_method->status == 405);
  CHECK(error_code(wrong_method->body) == "method_not_allowed");
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->body.find("\"database\":\"ok\"") != std::string::npos);
}

TEST_CASE("a credential given twice, or two credentials at once, is a 400 like any parameter given twice") {
  const std::string& file = registered_fixture("noaudio.mp4");
  TestServer server;
  const std::string& key = all_files_key();
  auto token = auth::JwtCodec("test-secret").mint({}, true, std::chrono::seconds(60), std::time(nullptr), "twice");
  REQUIRE(token);
  const std::string video = "/api/v1/file/" + file + "/video";
  httplib::Headers range = {{"Range", "bytes=0-15"}};
  // Each credential alone works.
  REQUIRE(get(server, video, {{"X-API-Key", key}, {"Range", "bytes=0-15"}}).status == 206);
  REQUIRE(get(server, video, {{"Authorization", bearer(*token)}, {"Range", "bytes=0-15"}}).status == 206);
  REQUIRE(get(server, video + "?access_token=" + key, range).status == 206);
  // The 400 every other parameter given twice gets.
  Probe parameter = get(server, video + "?start_frame=1&start_frame=2", {{"X-API-Key", key}});
  REQUIRE(parameter.status == 400);

  struct Case {
    const char* name;
    std::string target;
    httplib::Headers headers;
    const char* named;  // the credential the message names
  };
  const Case cases[] = {
      // (httplib folds a parameter repeated with the same value into one,
      // for every parameter alike: the same credential twice is one.)
      {"two access_token parameters", video + "?access_token=" + key + "&access_token=" + *token, {}, "access_token"},
      {"two access_token parameters, the second bad",
       video + "?access_token=" + key + "&access_token=x",
       {},
       "access_token"},
      {"two X-API-Key headers", video, {{"X-API-Key", key}, {"X-API-Key", key}}, "X-API-Key"},
      {"two Authorization headers",
       video,
       {{"Authorization", bearer(*token)}, {"Authorization", bearer(*token)}},
       "Authorization"},
      {"X-API-Key and access_token", video + "?access_token=" + key, {{"X-API-Key", key}}, "access_token"},
      {"Authorization and access_token",
       video + "?access_token=" + *token,
       {{"Authorization", bearer(*token)}},
       "access_token"},
      {"X-API-Key and Authorization", video, {{"X-API-Key", key}, {"Authorization", bearer(*token)}}, "X-API-Key"},
  };
  for (const Case& c : cases) {
    std::string name = c.name;
    CAPTURE(name);
    httplib::Headers headers = c.headers;
    headers.insert(range.begin(), range.end());
    Probe p = get(server, c.target, headers);
    CAPTURE(p.message);
    CHECK(p.status == 400);
    CHECK(p.code == parameter.code);
    CHECK(p.message.find("more than once") != std::string::npos);
    CHECK(p.message.find(c.named) != std::string::npos);
  }
  // An Authorization header that is not a bearer token (a proxy's Basic
  // credentials) is not one of ours: the key alone counts.
  CHECK(get(server, video, {{"X-API-Key", key}, {"Authorization", "Basic dXNlcjpwYXNz"}, {"Range", "bytes=0-15"}})
            .status == 206);
}

TEST_CASE("what a client chose reaches the log escaped and bounded: one line per request") {
  StderrCapture log;
  TestServer server;
  const std::string forged = "INFO forged-line-";
  const std::string sub = "eve\n" + forged + std::string(5000, 's');
  auto token = auth::JwtCodec("test-secret").mint({}, true, std::chrono::seconds(60), std::time(nullptr), sub);
  REQUIRE(token);
  auto client = server.client();
  auto by_sub = client.Get("/api/v1/files", {{"Authorization", bearer(*token)}, {"X-Request-Id", "log-sub-1"}});
  REQUIRE(by_sub);
  CHECK(by_sub->status == 200);
  std::string target = "/api/v1/file/%0A" + forged + std::string(5000, 'p') + "/video?x=%0D%0A" + forged;
  auto by_path = client.Get(target.c_str(), {{"X-API-Key", all_files_key()}, {"X-Request-Id", "log-path-2"}});
  REQUIRE(by_path);
  CHECK(by_path->status == 400);

  for (const char* id : {"request_id=log-sub-1", "request_id=log-path-2"}) {
    CAPTURE(id);
    std::string line = log.wait_for_line({id});
    REQUIRE(line != "");
    CHECK(line.size() < 2048);
    CHECK(line.find("\\n" + forged) != std::string::npos);
  }
  // No line starts with what the client wrote: every line holding it is one
  // of the two request lines.
  std::istringstream lines(log.text());
  std::string line;
  int holding = 0;
  while (std::getline(lines, line)) {
    if (line.find(forged) == std::string::npos) continue;
    ++holding;
    CHECK(line.find("request_id=log-") != std::string::npos);
  }
  CHECK(holding == 2);
}
