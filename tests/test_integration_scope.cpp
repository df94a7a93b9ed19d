// What a caller's scope covers (issue 20, "Hardening"): renaming an
// identity (shared by every file) needs write credentials for every file it
// appears in; registering files needs write credentials for all files; and
// bounds that used to fall through to the wrong answer: a Content-Length no
// counter holds (413, not 400), thumbnails too large for ffmpeg (400, not
// 500), settings such as "nan" or "0x3" (a usage error, not accepted) and
// --max-connections below --threads (the limit holds: 503 beyond it).
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "auth/jwt_codec.hpp"
#include "support/raw_http.hpp"
#include "support/server_process.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;
namespace fs = std::filesystem;

namespace {

// Polls `predicate` until it holds or `within` passed.
bool eventually(const std::function<bool()>& predicate, std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return predicate();
}

int64_t count(const char* sql, const std::string& uuid) {
  auto r = shared_app().database().query(sql, {uuid});
  REQUIRE(r);
  return r->int64(0, 0);
}

const char* k_detections = "SELECT count(*) FROM detections WHERE file_uuid = $1::uuid";

std::string identity_name(const std::string& identity) {
  auto r = shared_app().database().query("SELECT name FROM identities WHERE identity_uuid = $1::uuid", {identity});
  REQUIRE(r);
  REQUIRE(r->rows() == 1);
  return r->string(0, 0);
}

// A canonical identity uuid of this run: made from a fresh file_uuid (a
// version-7 uuid) with `tag` in front, so that no other test has it.
std::string identity_of(const std::string& file_uuid, const std::string& tag) {
  std::string hex = tag + file_uuid.substr(tag.size());
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

std::string detection(int64_t trace, const std::string& identity, const std::string& name) {
  std::string line = R"({"frame_number":1,"trace_id":)" + std::to_string(trace) +
                     R"(,"bbox":{"x":0,"y":0,"width":10,"height":10},"confidence":0.5,"identity_uuid":")" + identity +
                     "\"";
  if (!name.empty()) line += R"(,"identity_name":")" + name + "\"";
  return line + "}\n";
}

std::string detections_path(const std::string& uuid) { return "/api/v1/file/" + uuid + "/detections"; }

rapidjson::Document parse_body(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  REQUIRE(doc.IsObject());
  return doc;
}

std::string error_code(const httplib::Result& res) {
  rapidjson::Document doc = parse_body(res->body);
  REQUIRE(doc.HasMember("error"));
  return doc["error"]["code"].GetString();
}

std::string write_key_for(const std::vector<std::string>& files) {
  auto created = shared_app().keys().create("scope-test", files.empty(), files, true);
  REQUIRE(created);
  return created->token();
}

std::string write_jwt_for(const std::vector<std::string>& files) {
  auto token = auth::JwtCodec("test-secret")
                   .mint(files, files.empty(), std::chrono::seconds(600), std::time(nullptr), "scope-test", true);
  REQUIRE(token);
  return *token;
}

// A fresh directory holding a copy of noaudio.mp4 (in.mp4).
struct MediaRoot {
  std::string dir;
  MediaRoot() {
    std::string tmpl = (fs::temp_directory_path() / "frameserve-scope-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    fs::copy_file(fixture_path("noaudio.mp4"), dir + "/in.mp4");
  }
  ~MediaRoot() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

// The status line and the body of a raw response.
struct RawAnswer {
  int status = 0;
  std::string body;
};
RawAnswer raw_answer(const std::string& response) {
  RawAnswer answer;
  if (response.rfind("HTTP/1.1 ", 0) == 0 && response.size() >= 12) answer.status = std::stoi(response.substr(9, 3));
  size_t head_end = response.find("\r\n\r\n");
  if (head_end != std::string::npos) answer.body = response.substr(head_end + 4);
  return answer;
}

}  // namespace

TEST_CASE("scope: only write credentials for every file an identity appears in may rename it") {
  // X appears in files A and B, Y only in A; both named by a trusted import.
  const std::string file_a = register_own_fixture("noaudio.mp4");
  const std::string file_b = register_own_fixture("noaudio.mp4");
  const std::string x = identity_of(file_a, "aa");
  const std::string y = identity_of(file_a, "bb");
  const auto import_trusted = [](const std::string& file, const std::string& lines) {
    CommandResult r = run_cli({"import", file, "-"}, lines);
    CAPTURE(r.err);
    REQUIRE(r.exit_code == 0);
  };
  import_trusted(file_a, detection(1, x, "X zero") + detection(2, y, "Y zero"));
  import_trusted(file_b, detection(1, x, "X zero"));

  TestServer server;
  auto client = server.client();
  int64_t trace = 100;
  const auto post = [&](const httplib::Headers& headers, const std::string& file, const std::string& lines) {
    auto res = client.Post(detections_path(file).c_str(), headers, lines, "application/x-ndjson");
    REQUIRE(res);
    return res;
  };

  struct Caller {
    const char* name;
    httplib::Headers headers;
  };
  const std::vector<Caller> callers = {
      {"an API key for file A", key_headers(write_key_for({file_a}))},
      {"a JWT for file A", {{"Authorization", "Bearer " + write_jwt_for({file_a})}}},
  };
  int round = 0;
  for (const Caller& caller : callers) {
    CAPTURE(caller.name);
    ++round;
    // The stored name again, or no name: no rename, allowed.
    auto same = post(caller.headers, file_a, detection(trace + 1, x, "X zero") + detection(trace + 2, x, ""));
    trace += 2;
    CAPTURE(same->body);
    CHECK(same->status == 200);
    // A new identity: allowed.
    const std::string z = identity_of(file_a, round == 1 ? "c1" : "c2");
    auto fresh = post(caller.headers, file_a, detection(++trace, z, "Zed"));
    CHECK(fresh->status == 200);
    CHECK(identity_name(z) == "Zed");
    // Y appears only in A, which the caller may write: renaming it is allowed.
    const std::string y_name = std::string("Y ") + (round == 1 ? "one" : "two");
    auto renamed = post(caller.headers, file_a, detection(++trace, y, y_name));
    CAPTURE(renamed->body);
    CHECK(renamed->status == 200);
    CHECK(identity_name(y) == y_name);

    // X also appears in B: the rename is refused, naming X, and the whole
    // import with it (the good lines before it included).
    const int64_t before = count(k_detections, file_a);
    const std::string w = identity_of(file_a, round == 1 ? "d1" : "d2");
    auto refused = post(caller.headers, file_a,
                        detection(trace + 1, w, "Would be new") + detection(trace + 2, x, "Renamed by A's key"));
    trace += 2;
    CAPTURE(refused->body);
    CHECK(refused->status == 403);
    CHECK(error_code(refused) == "file_not_covered");
    CHECK(refused->body.find(x) != std::string::npos);
    CHECK(refused->body.find(file_b) == std::string::npos);  // the other file stays unnamed
    CHECK(count(k_detections, file_a) == before);
    CHECK(identity_name(x) == "X zero");
    auto absent = shared_app().database().query("SELECT count(*) FROM identities WHERE identity_uuid = $1::uuid", {w});
    REQUIRE(absent);
    CHECK(absent->int64(0, 0) == 0);
    // PUT (replace) is refused the same way.
    auto put = client.Put(detections_path(file_a).c_str(), caller.headers, detection(1, x, "Renamed by A's key"),
                          "application/x-ndjson");
    REQUIRE(put);
    CHECK(put->status == 403);
    CHECK(count(k_detections, file_a) == before);
  }

  // B's listings, which those callers cannot read, still show the old name.
  auto listed = client.Get(("/api/v1/file/" + file_b + "/identities").c_str(), key_headers(all_files_key()));
  REQUIRE(listed);
  CHECK(listed->status == 200);
  CHECK(listed->body.find("X zero") != std::string::npos);

  // Write credentials for every file may rename it, and so may the CLI.
  auto by_all = post(key_headers(write_key_for({})), file_a, detection(++trace, x, "X one"));
  CAPTURE(by_all->body);
  CHECK(by_all->status == 200);
  CHECK(identity_name(x) == "X one");
  auto by_all_jwt = post({{"Authorization", "Bearer " + write_jwt_for({})}}, file_a, detection(++trace, x, "X two"));
  CHECK(by_all_jwt->status == 200);
  CHECK(identity_name(x) == "X two");
  import_trusted(file_b, detection(++trace, x, "X three"));
  CHECK(identity_name(x) == "X three");
}

TEST_CASE("scope: registering a file needs write credentials for every file, checked before anything else") {
  MediaRoot root;
  app::ServerConfig config = TestServer::test_config();
  config.media_roots = {root.dir};
  TestServer server(config);
  auto client = server.client();
  const std::string existing = register_own_fixture("noaudio.mp4");
  const std::string fresh_uuid = std::string("ff") + existing.substr(2);

  const std::vector<std::pair<const char*, httplib::Headers>> limited = {
      {"an API key for one file", key_headers(write_key_for({existing}))},
      {"a JWT for one file", {{"Authorization", "Bearer " + write_jwt_for({existing})}}},
  };
  for (const auto& [name, headers] : limited) {
    CAPTURE(name);
    // A taken uuid: 403, not 409 (which would tell that the uuid exists).
    auto taken =
        client.Post("/api/v1/files", headers,
                    R"({"path":")" + root.dir + R"(/in.mp4","file_uuid":")" + existing + "\"}", "application/json");
    REQUIRE(taken);
    CAPTURE(taken->body);
    CHECK(taken->status == 403);
    CHECK(error_code(taken) == "insufficient_scope");
    CHECK(taken->body.find("every file") != std::string::npos);
    // A free uuid: refused too, and nothing registered.
    auto made =
        client.Post("/api/v1/files", headers,
                    R"({"path":")" + root.dir + R"(/in.mp4","file_uuid":")" + fresh_uuid + "\"}", "application/json");
    REQUIRE(made);
    CHECK(made->status == 403);
    CHECK(count("SELECT count(*) FROM files WHERE file_uuid = $1::uuid", fresh_uuid) == 0);
    // Even a malformed body: the scope is checked first.
    auto malformed = client.Post("/api/v1/files", headers, "not json", "application/json");
    REQUIRE(malformed);
    CHECK(malformed->status == 403);
  }
  // Write credentials for all files register (and get the 409 for a taken uuid).
  auto taken =
      client.Post("/api/v1/files", key_headers(write_key_for({})),
                  R"({"path":")" + root.dir + R"(/in.mp4","file_uuid":")" + existing + "\"}", "application/json");
  REQUIRE(taken);
  CHECK(taken->status == 409);
  auto made =
      client.Post("/api/v1/files", key_headers(write_key_for({})),
                  R"({"path":")" + root.dir + R"(/in.mp4","file_uuid":")" + fresh_uuid + "\"}", "application/json");
  REQUIRE(made);
  CAPTURE(made->body);
  CHECK(made->status == 201);
}

TEST_CASE("scope: a Content-Length beyond any counter is 413 naming the cap") {
  const std::string file = register_own_fixture("noaudio.mp4");
  TestServer server;
  const std::string key = write_key_for({});
  struct Case {
    const char* name;
    std::string head;
    const char* names_cap;
  };
  const std::vector<Case> cases = {
      {"an import", "POST " + detections_path(file) + " HTTP/1.1\r\nContent-Type: application/x-ndjson\r\n",
       "--max-upload-bytes 1073741824"},
      {"a registration", std::string("POST /api/v1/files HTTP/1.1\r\nContent-Type: application/json\r\n"), "65536"},
  };
  for (const Case& c : cases) {
    for (const char* length : {"99999999999999999999", "9223372036854775808"}) {
      CAPTURE(c.name);
      CAPTURE(length);
      // Only the head: the server closes without reading the body, and bytes
      // of it left unread would turn the close into a reset.
      RawConnection connection(server.port());
      REQUIRE(connection.send(c.head + "Host: localhost\r\nX-API-Key: " + key + "\r\nContent-Length: " + length +
                              "\r\n\r\n"));
      RawAnswer answer = raw_answer(connection.read_at_least(1 << 20, std::chrono::seconds(10)));
      CAPTURE(answer.body);
      CHECK(answer.status == 413);
      CHECK(answer.body.find("\"payload_too_large\"") != std::string::npos);
      CHECK(answer.body.find(c.names_cap) != std::string::npos);
    }
  }
  CHECK(count(k_detections, file) == 0);
}

TEST_CASE("scope: thumbnails and face crops larger than ffmpeg makes are a 400 naming the bound") {
  const std::string file = registered_fixture("noaudio.mp4");
  TestServer server;
  auto client = server.client();
  const auto get = [&](const std::string& target) {
    auto res = client.Get(("/api/v1/file/" + file + target).c_str(), key_headers(all_files_key()));
    REQUIRE(res);
    return res;
  };
  for (const char* target : {"/thumbnail?frame=1&x=1&y=1&w=1&h=1&width=8192",
                             "/thumbnail?frame=1&x=1&y=1&w=1&h=1&height=4097", "/trace/1/thumbnail?size=8192"}) {
    CAPTURE(target);
    auto res = get(target);
    CAPTURE(res->body);
    CHECK(res->status == 400);
    CHECK(error_code(res) == "invalid_parameter");
    CHECK(res->body.find("4096") != std::string::npos);
  }
  // Within the bound, but the other side follows the crop's shape: 1x2 at
  // width 4096 would be 8192 high.
  auto tall = get("/thumbnail?frame=1&x=1&y=1&w=1&h=2&width=4096");
  CAPTURE(tall->body);
  CHECK(tall->status == 400);
  CHECK(error_code(tall) == "bad_size");
  CHECK(tall->body.find("8192") != std::string::npos);
  CHECK(tall->body.find("4096") != std::string::npos);
  // The bound itself works.
  CHECK(get("/thumbnail?frame=1&x=1&y=1&w=1&h=1&width=4096")->status == 200);

  // The CLI twins: usage errors naming the bound.
  CommandResult cli =
      run_cli({"thumbnail", file, "--frame", "1", "--crop", "1,1,1,1", "--width", "8192", "-o", "/dev/null"});
  CHECK(cli.exit_code == 2);
  CHECK(cli.err.find("--width") != std::string::npos);
  CHECK(cli.err.find("4096") != std::string::npos);
  CommandResult face = run_cli({"trace-thumbnail", file, "1", "--size", "8192", "-o", "/dev/null"});
  CHECK(face.exit_code == 2);
  CHECK(face.err.find("4096") != std::string::npos);
  CommandResult tall_cli =
      run_cli({"thumbnail", file, "--frame", "1", "--crop", "1,1,1,2", "--width", "4096", "-o", "/dev/null"});
  CHECK(tall_cli.exit_code != 0);
  CHECK(tall_cli.err.find("at most 4096") != std::string::npos);
}

TEST_CASE("scope: numeric settings parse as strictly as query parameters") {
  struct Case {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::vector<std::string> says;
  };
  const std::vector<Case> cases = {
      {{"--hls-segment-seconds", "nan"}, {}, {"--hls-segment-seconds", "between 0.5 and 6", "\"nan\""}},
      {{"--hls-segment-seconds", "inf"}, {}, {"--hls-segment-seconds", "between 0.5 and 6"}},
      {{"--max-connections", "0x10"}, {}, {"--max-connections", "between 8 and 65536", "\"0x10\""}},
      {{"--threads", "1e3"}, {}, {"--threads", "between 4 and 4096"}},
      {{}, {{"FRAMESERVE_HLS_SEGMENT_SECONDS", "nan"}}, {"FRAMESERVE_HLS_SEGMENT_SECONDS", "between 0.5 and 6"}},
      {{}, {{"FRAMESERVE_QUEUE_WAIT_MS", "0x3"}}, {"FRAMESERVE_QUEUE_WAIT_MS", "between 0 and 600000"}},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {"/usr/bin/timeout", "20",    frameserve_bin(), "--db",
                                     test_conninfo(),    "serve", "--host",         "127.0.0.1",
                                     "--port",           "0"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    CommandResult r = run_command(argv, "", c.env);
    CAPTURE(r.err);
    CHECK(r.exit_code == 2);  // bad usage (124: it started serving)
    for (const std::string& text : c.says) CHECK(r.err.find(text) != std::string::npos);
  }
  // The same holds for the other commands' numbers.
  CommandResult ttl = run_command({frameserve_bin(), "token", "create", "--all", "--ttl", "0x10", "--jwt-secret", "s"});
  CHECK(ttl.exit_code == 2);
  CHECK(ttl.err.find("--ttl") != std::string::npos);
  CommandResult fine = run_command({frameserve_bin(), "token", "create", "--all", "--ttl", "60", "--jwt-secret", "s"});
  CHECK(fine.exit_code == 0);
}

TEST_CASE("scope: --max-connections below --threads still holds: the connection beyond it gets 503") {
  // --threads stays at its default (32), above the limit.
  ServerProcess server({"--max-connections", "8"});
  std::vector<std::unique_ptr<RawConnection>> stalled;
  for (int i = 0; i < 8; ++i) {
    stalled.push_back(std::make_unique<RawConnection>(server.port()));
    REQUIRE(stalled.back()->send("GET /heal"));  // a head that never ends holds its connection
  }
  RawAnswer last;
  bool refused = eventually(
      [&] {
        RawConnection probe(server.port(), "/healthz", "Connection: close\r\n");
        last = raw_answer(probe.read_at_least(1 << 16, std::chrono::seconds(5)));
        return last.status == 503;
      },
      std::chrono::seconds(5));
  CAPTURE(last.status);
  CAPTURE(last.body);
  CHECK(refused);
  CHECK(last.body.find("\"too_many_connections\"") != std::string::npos);
  stalled.clear();
  CHECK(eventually(
      [&] {
        RawConnection probe(server.port(), "/healthz", "Connection: close\r\n");
        return raw_answer(probe.read_at_least(1 << 16, std::chrono::seconds(5))).status == 200;
      },
      std::chrono::seconds(5)));
}
