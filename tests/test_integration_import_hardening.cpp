// Hostile import input (issue 20): deeply nested JSON, lines far longer than
// any detection, text that PostgreSQL cannot store (NUL, bytes that are not
// UTF-8), byte-order marks and MOT frame numbers in errors. Over real HTTP
// (a separate server process where the input used to kill it) and through
// `frameserve import`; every case is a 4xx naming the line, never a crash
// or a 500.
#include <doctest/doctest.h>
#include <httplib.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <memory>
#include <string>

#include "common/text.hpp"
#include "support/server_process.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {

const char* k_detections = "SELECT count(*) FROM detections WHERE file_uuid = $1::uuid";

int64_t count_detections(const std::string& uuid) {
  auto r = shared_app().database().query(k_detections, {uuid});
  REQUIRE(r);
  return r->int64(0, 0);
}

// A key that may write only `uuid` (the least a client needs to import).
std::string write_key_for(const std::string& uuid) {
  auto created = shared_app().keys().create("hardening-" + uuid.substr(0, 8), false, {uuid}, true);
  REQUIRE(created);
  return created->token();
}

// A key that may write every file: registering a file needs one.
std::string write_key_for_all() {
  auto created = shared_app().keys().create("hardening-all", true, {}, true);
  REQUIRE(created);
  return created->token();
}

// A valid detection line for noaudio.mp4 (320x240, 150 frames) whose last
// member is `tail` (e.g. `,"label":"x"`); no newline.
std::string line_with(const std::string& tail) {
  return R"({"frame_number":1,"trace_id":7,"bbox":{"x":0,"y":0,"width":10,"height":10},"confidence":0.5)" + tail + "}";
}

// The line of the report: "extra" holding 200,000 nested arrays (400 KB).
std::string deep_line_of_the_report() {
  return line_with(",\"extra\":" + std::string(200000, '[') + std::string(200000, ']'));
}

// Nested arrays as deep as fits in a line the length bound admits: the
// nesting bound, not the length bound, must refuse it.
std::string deep_short_line() { return line_with(",\"extra\":" + std::string(30000, '[') + std::string(30000, ']')); }

std::string error_message(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str(), body.size());
  REQUIRE(doc.IsObject());
  REQUIRE(doc.HasMember("error"));
  return doc["error"]["message"].GetString();
}

std::string detections_path(const std::string& uuid) { return "/api/v1/file/" + uuid + "/detections"; }

}  // namespace

TEST_CASE("import hardening: deeply nested JSON over HTTP is a 400 naming the line; the server lives on") {
  const std::string uuid = register_own_fixture("noaudio.mp4");
  const std::string key = write_key_for(uuid);
  std::unique_ptr<ServerProcess> server;
  try {
    server = std::make_unique<ServerProcess>();
  } catch (const std::exception& e) {
    FAIL("frameserve did not start: " << e.what());
  }
  httplib::Client client("127.0.0.1", server->port());
  client.set_read_timeout(60, 0);
  const httplib::Headers headers = {{"X-API-Key", key}};

  struct Case {
    const char* name;
    std::string body;
    const char* says;
  };
  const Case cases[] = {
      // 400 KB on one line: refused by the line bound before any parse.
      {"the report's 200,000 levels", deep_line_of_the_report() + "\n", "line 1: longer than 65536 bytes"},
      {"30,000 levels on line 2", line_with("") + "\n" + deep_short_line() + "\n", "line 2: arrays and objects nested"},
      {"a deep register body", "", "nested more than 64 levels"},
  };
  for (const Case& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    if (c.body.empty()) {  // the registration case
      // The registration body goes through the same JSON parse.
      std::string body = "{\"path\":" + std::string(20000, '[') + std::string(20000, ']') + "}";
      auto res = client.Post("/api/v1/files", {{"X-API-Key", write_key_for_all()}}, body, "application/json");
      REQUIRE(res);
      CAPTURE(res->body);
      CHECK(res->status == 400);
      CHECK(error_message(res->body).find(c.says) != std::string::npos);
      continue;
    }
    auto res = client.Put(detections_path(uuid).c_str(), headers, c.body, "application/x-ndjson");
    if (!res) {
      auto exit = server->wait_exit(std::chrono::seconds(5));
      FAIL("no answer; the server " << (exit ? exit->describe() : std::string("is still running")));
    }
    CAPTURE(res->body);
    CHECK(res->status == 400);
    CHECK(error_message(res->body).find(c.says) != std::string::npos);
  }
  // Still alive and serving.
  CHECK_FALSE(server->wait_exit(std::chrono::milliseconds(0)).has_value());
  httplib::Client probe("127.0.0.1", server->port());
  auto health = probe.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto good = client.Put(detections_path(uuid).c_str(), headers, line_with(R"(,"extra":[[[{"a":[1]}]]])") + "\n",
                         "application/x-ndjson");
  REQUIRE(good);
  CHECK(good->status == 200);
  CHECK(count_detections(uuid) == 1);
}

TEST_CASE("import hardening: `frameserve import` of deeply nested JSON exits 3 naming the line, not 139") {
  const std::string uuid = register_own_fixture("noaudio.mp4");
  CommandResult report = run_cli({"import", uuid, "-"}, deep_line_of_the_report() + "\n");
  INFO("exit code " << report.exit_code << ", stderr: " << report.err.substr(0, 300));
  CHECK(report.exit_code == 3);
  CHECK(report.err.find("line 1: longer than 65536 bytes") != std::string::npos);
  CommandResult shorter = run_cli({"import", uuid, "-"}, line_with("") + "\n" + deep_short_line() + "\n");
  CHECK(shorter.exit_code == 3);
  CHECK(shorter.err.find("line 2: arrays and objects nested more than 64 levels deep") != std::string::npos);
  CHECK(count_detections(uuid) == 0);
}

TEST_CASE("import hardening: NUL and bytes that are not UTF-8 in a label or name are a 400 naming line and field") {
  const std::string uuid = register_own_fixture("noaudio.mp4");
  TestServer server;
  auto client = server.client();
  const httplib::Headers headers = {{"X-API-Key", write_key_for(uuid)}};
  // An identity of this test's own: a file-scoped key may name a new
  // identity, but not rename one that other files' detections share.
  const std::string identity = R"(,"identity_uuid":"5e1f0c2a-7d3b-4c9e-8a6f-1b2c3d4e5f60")";
  struct Case {
    const char* name;
    std::string query;
    std::string body;
    const char* content_type;
    const char* says;
  };
  const Case cases[] = {
      {"an escaped NUL in the label", "", line_with(R"(,"label":"a\u0000b")"), "application/x-ndjson",
       "line 1: label \"a\\x00b\" is not text we can store"},
      {"FF FE in the label", "", line_with(",\"label\":\"\xff\xfe\""), "application/x-ndjson",
       "line 1: label \"\\xff\\xfe\" is not text we can store"},
      {"C3 28 in the label", "", line_with(",\"label\":\"\xc3\x28\""), "application/x-ndjson",
       "line 1: label \"\\xc3(\" is not text we can store"},
      {"an escaped NUL in the identity name", "", line_with(identity + R"(,"identity_name":"a\u0000b")"),
       "application/x-ndjson", "line 1: identity_name \"a\\x00b\" is not text we can store"},
      {"FF FE in the identity name", "", line_with(identity + ",\"identity_name\":\"\xff\xfe\""),
       "application/x-ndjson", "line 1: identity_name \"\\xff\\xfe\" is not text we can store"},
      {"C3 28 in the identity name on line 2", "",
       line_with("") + "\n" + line_with(identity + ",\"identity_name\":\"\xc3\x28\"").replace(29, 1, "8"),
       "application/x-ndjson", "line 2: identity_name \"\\xc3(\" is not text we can store"},
      {"?label=%00 on a MOT import", "?label=%00", "1,1,0,0,10,10,0.5,-1,-1,-1", "text/csv",
       "line 1: label \"\\x00\" (the default label"},
      {"?label=%FF%FE on a MOT import", "?label=%FF%FE", "1,1,0,0,10,10,0.5,-1,-1,-1", "text/csv",
       "line 1: label \"\\xff\\xfe\" (the default label"},
      {"?label=%C3%28 on a MOT import", "?label=%C3%28", "1,1,0,0,10,10,0.5,-1,-1,-1", "text/csv",
       "line 1: label \"\\xc3(\" (the default label"},
      {"?label=%00 on a JSONL import", "?label=a%00", line_with(""), "application/x-ndjson",
       "line 1: label \"a\\x00\" (the default label"},
  };
  for (const Case& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    auto res = client.Put((detections_path(uuid) + c.query).c_str(), headers, c.body + "\n", c.content_type);
    REQUIRE(res);
    CAPTURE(res->body);
    CHECK(res->status == 400);
    CHECK(error_message(res->body).find(c.says) != std::string::npos);
    CHECK(is_valid_utf8(res->body));
  }
  CHECK(count_detections(uuid) == 0);
  // Text beyond ASCII that is valid UTF-8 is stored as it is.
  auto fine =
      client.Put(detections_path(uuid).c_str(), headers,
                 line_with(",\"label\":\"Zo\xc3\xab\"" + identity + ",\"identity_name\":\"\xe5\xbc\xa0\"") + "\n",
                 "application/x-ndjson");
  REQUIRE(fine);
  CHECK(fine->status == 200);
  CHECK(count_detections(uuid) == 1);
}

TEST_CASE("import hardening: a line longer than the bound is refused with the bound in the message") {
  const std::string uuid = register_own_fixture("noaudio.mp4");
  TestServer server;
  auto client = server.client();
  const httplib::Headers headers = {{"X-API-Key", write_key_for(uuid)}};
  // 10 MB with no line break after one valid line.
  std::string body = line_with("") + "\n" + line_with(",\"extra\":\"" + std::string(10 << 20, 'a') + "\"");
  auto res = client.Put(detections_path(uuid).c_str(), headers, body, "application/x-ndjson");
  REQUIRE(res);
  CAPTURE(res->body.substr(0, 300));
  CHECK(res->status == 400);
  CHECK(error_message(res->body) ==
        "line 2: longer than 65536 bytes; a detection line is at most 65536 bytes (its fields need a few hundred, "
        "the rest leaves room for other members such as \"extra\")");
  // The same over MOT, and through the CLI.
  auto mot = client.Put(detections_path(uuid).c_str(), headers, std::string(100000, '1'), "text/csv");
  REQUIRE(mot);
  CHECK(mot->status == 400);
  CHECK(error_message(mot->body).find("line 1: longer than 65536 bytes") != std::string::npos);
  CommandResult cli = run_cli({"import", uuid, "-"}, body);
  CHECK(cli.exit_code == 3);
  CHECK(cli.err.find("line 2: longer than 65536 bytes") != std::string::npos);
  CHECK(count_detections(uuid) == 0);
}

TEST_CASE("import hardening: a UTF-8 byte-order mark is skipped; MOT errors name the frame as written") {
  const std::string uuid = register_own_fixture("noaudio.mp4");
  TestServer server;
  auto client = server.client();
  const httplib::Headers headers = {{"X-API-Key", write_key_for(uuid)}};
  const std::string bom = "\xef\xbb\xbf";
  auto mot = client.Put(detections_path(uuid).c_str(), headers, bom + "1,1,0,0,10,10,0.5,-1,-1,-1\n", "text/csv");
  REQUIRE(mot);
  CAPTURE(mot->body);
  CHECK(mot->status == 200);
  CHECK(count_detections(uuid) == 1);
  auto jsonl =
      client.Put(detections_path(uuid).c_str(), headers,
                 bom + line_with("") + "\n" + line_with("").replace(16, 1, "2") + "\n", "application/x-ndjson");
  REQUIRE(jsonl);
  CAPTURE(jsonl->body);
  CHECK(jsonl->status == 200);
  CHECK(count_detections(uuid) == 2);
  CommandResult cli = run_cli({"import", uuid, "-", "--format", "mot", "--replace"}, bom + "2,1,0,0,10,10,0.5,-1,-1\n");
  CHECK(cli.exit_code == 0);
  CHECK(count_detections(uuid) == 1);
  // A mark anywhere else is not skipped.
  auto later = client.Put(detections_path(uuid).c_str(), headers,
                          "1,1,0,0,10,10,0.5,-1,-1,-1\n" + bom + "2,1,0,0,10,10,0.5,-1,-1,-1\n", "text/csv");
  REQUIRE(later);
  CHECK(later->status == 400);
  CHECK(error_message(later->body).find("line 2: column 1 (frame)") != std::string::npos);

  // MOT frame 901 is zero-based frame_number 900: the error says both.
  auto past = client.Put(detections_path(uuid).c_str(), headers, "901,1,0,0,10,10,0.5,-1,-1,-1\n", "text/csv");
  REQUIRE(past);
  CHECK(past->status == 400);
  CHECK(error_message(past->body) ==
        "line 1: frame 901 (frame_number 900 zero-based) is outside the video (valid: frames 1 to 150)");
  auto zero_based = client.Put((detections_path(uuid) + "?frame_base=0").c_str(), headers,
                               "150,1,0,0,10,10,0.5,-1,-1,-1\n", "text/csv");
  REQUIRE(zero_based);
  CHECK(zero_based->status == 400);
  CHECK(error_message(zero_based->body) ==
        "line 1: frame 150 (frame_number 150 zero-based) is outside the video (valid: frames 0 to 149)");
  auto twice = client.Put(detections_path(uuid).c_str(), headers,
                          "5,1,0,0,10,10,0.5,-1,-1,-1\n5,1,0,0,10,10,0.5,-1,-1,-1\n", "text/csv");
  REQUIRE(twice);
  CHECK(twice->status == 400);
  CHECK(error_message(twice->body) ==
        "line 2: trace 1 already has a detection on frame 5 (frame_number 4 zero-based) (line 1)");
  CHECK(count_detections(uuid) == 1);
}
