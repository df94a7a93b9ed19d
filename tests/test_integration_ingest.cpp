// Ingest over real HTTP against real PostgreSQL (issue 9 §2): scopes for
// keys and JWTs, registering files under --media-root (and only there),
// replacing and appending detections as JSONL or MOTChallenge CSV, all or
// nothing, the upload cap, deleting, and memoised faces following a
// re-import.
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "auth/jwt_codec.hpp"
#include "common/text.hpp"
#include "import/file_registration.hpp"
#include "support/raw_http.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;
namespace fs = std::filesystem;

namespace {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* k_detections = "SELECT count(*) FROM detections WHERE file_uuid = $1::uuid";

int64_t count(const std::string& sql, const std::string& uuid) {
  auto r = shared_app().database().query(sql.c_str(), {uuid});
  REQUIRE(r);
  return r->int64(0, 0);
}

// A fresh directory holding a copy of noaudio.mp4 (in.mp4), a text file
// (notes.txt) and a symlink escaping it (escape.mp4 -> the fixture).
struct MediaRoot {
  std::string dir;
  MediaRoot() {
    std::string tmpl = (fs::temp_directory_path() / "frameserve-ingest-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    fs::copy_file(fixture_path("noaudio.mp4"), dir + "/in.mp4");
    fs::create_symlink(fixture_path("noaudio.mp4"), dir + "/escape.mp4");
    fs::create_symlink(dir + "/in.mp4", dir + "/alias.mp4");
    FILE* f = std::fopen((dir + "/notes.txt").c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs("not a video\n", f);
    std::fclose(f);
  }
  ~MediaRoot() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

std::string write_key() {
  static const std::string key = [] {
    auto created = shared_app().keys().create("ingest-test", true, {}, true);
    REQUIRE(created);
    return created->token();
  }();
  return key;
}

std::string jwt(bool write) {
  auto token = auth::JwtCodec("test-secret").mint({}, true, std::chrono::seconds(600), std::time(nullptr), "t", write);
  REQUIRE(token);
  return *token;
}

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

rapidjson::Document parse_body(const httplib::Result& res) {
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  REQUIRE(doc.IsObject());
  return doc;
}

std::string error_code(const httplib::Result& res) {
  rapidjson::Document doc = parse_body(res);
  REQUIRE(doc.HasMember("error"));
  return doc["error"]["code"].GetString();
}

std::string register_body(const std::string& path, const std::string& uuid = "") {
  std::string body = R"({"path":")" + path + "\"";
  if (!uuid.empty()) body += R"(,"file_uuid":")" + uuid + "\"";
  return body + "}";
}

// Registers root/in.mp4 over HTTP with the write key; returns its uuid.
std::string register_over_http(TestServer& server, const MediaRoot& root) {
  auto client = server.client();
  auto res =
      client.Post("/api/v1/files", key_headers(write_key()), register_body(root.dir + "/in.mp4"), "application/json");
  REQUIRE(res);
  CAPTURE(res->body);
  REQUIRE(res->status == 201);
  rapidjson::Document doc = parse_body(res);
  return doc["file"]["file_uuid"].GetString();
}

std::string detection(int64_t frame, int64_t trace, int64_t x) {
  return R"({"frame_number":)" + std::to_string(frame) + R"(,"trace_id":)" + std::to_string(trace) +
         R"(,"bbox":{"x":)" + std::to_string(x) + R"(,"y":10,"width":40,"height":40},"confidence":0.9})" + "\n";
}

std::string detections_path(const std::string& uuid) { return "/api/v1/file/" + uuid + "/detections"; }

app::ServerConfig config_with_root(const MediaRoot& root) {
  app::ServerConfig config = TestServer::test_config();
  config.media_roots = {root.dir};
  return config;
}

}  // namespace

TEST_CASE("ingest: every write needs the write scope, for API keys and JWTs") {
  MediaRoot root;
  TestServer server(config_with_root(root));
  auto client = server.client();
  const std::string body = register_body(root.dir + "/in.mp4");

  auto read_key = client.Post("/api/v1/files", key_headers(all_files_key()), body, "application/json");
  REQUIRE(read_key);
  CHECK(read_key->status == 403);
  CHECK(error_code(read_key) == "insufficient_scope");
  CHECK(read_key->body.find("write") != std::string::npos);
  auto read_jwt = client.Post("/api/v1/files", bearer(jwt(false)), body, "application/json");
  REQUIRE(read_jwt);
  CHECK(read_jwt->status == 403);
  CHECK(error_code(read_jwt) == "insufficient_scope");
  auto nobody = client.Post("/api/v1/files", body, "application/json");
  REQUIRE(nobody);
  CHECK(nobody->status == 401);

  auto by_jwt = client.Post("/api/v1/files", bearer(jwt(true)), body, "application/json");
  REQUIRE(by_jwt);
  CAPTURE(by_jwt->body);
  REQUIRE(by_jwt->status == 201);
  std::string uuid = parse_body(by_jwt)["file"]["file_uuid"].GetString();

  // The file routes: read credentials are refused before anything changes.
  const std::string lines = detection(1, 1, 0);
  for (const auto& headers : {key_headers(all_files_key()), bearer(jwt(false))}) {
    auto put = client.Put(detections_path(uuid).c_str(), headers, lines, "application/x-ndjson");
    REQUIRE(put);
    CHECK(put->status == 403);
    CHECK(error_code(put) == "insufficient_scope");
    auto del = client.Delete(("/api/v1/file/" + uuid).c_str(), headers);
    REQUIRE(del);
    CHECK(del->status == 403);
  }
  CHECK(count(k_detections, uuid) == 0);
  auto put = client.Put(detections_path(uuid).c_str(), bearer(jwt(true)), lines, "application/x-ndjson");
  REQUIRE(put);
  CHECK(put->status == 200);
  CHECK(count(k_detections, uuid) == 1);
  // A read credential still reads what was written.
  auto listed = client.Get(("/api/v1/file/" + uuid).c_str(), key_headers(all_files_key()));
  REQUIRE(listed);
  CHECK(listed->status == 200);

  // The CLI makes write keys and tokens.
  CommandResult key = run_cli({"key", "create", "--all", "--write", "--name", "cli-writer"});
  CHECK(key.exit_code == 0);
  auto cli_key = client.Delete(("/api/v1/file/" + uuid).c_str(), key_headers(std::string(trim(key.out))));
  REQUIRE(cli_key);
  CHECK(cli_key->status == 204);
  CommandResult listing = run_cli({"key", "list"});
  CHECK(listing.out.find("write") != std::string::npos);
}

TEST_CASE("ingest: registering inside the media roots, outside them, through symlinks, and twice") {
  MediaRoot root;
  TestServer server(config_with_root(root));
  auto client = server.client();
  const auto headers = key_headers(write_key());

  std::string uuid = import::new_file_uuid();
  REQUIRE(uuid.size() == 32);
  auto created = client.Post("/api/v1/files", headers, register_body(root.dir + "/in.mp4", uuid), "application/json");
  REQUIRE(created);
  CAPTURE(created->body);
  REQUIRE(created->status == 201);
  CHECK(created->get_header_value("Location") == "/api/v1/file/" + uuid);
  // The same file object GET answers.
  auto got = client.Get(("/api/v1/file/" + uuid).c_str(), key_headers(all_files_key()));
  REQUIRE(got);
  REQUIRE(got->status == 200);
  CHECK(got->body == created->body);
  rapidjson::Document doc = parse_body(created);
  CHECK(doc["file"]["frame_count"].GetInt64() == 150);
  CHECK(doc["file"]["width"].GetInt64() == 320);

  auto twice = client.Post("/api/v1/files", headers, register_body(root.dir + "/in.mp4", uuid), "application/json");
  REQUIRE(twice);
  CHECK(twice->status == 409);
  CHECK(error_code(twice) == "file_exists");

  // A symlink inside the root to a file inside it is fine: it is the same file.
  auto alias = client.Post("/api/v1/files", headers, register_body(root.dir + "/alias.mp4"), "application/json");
  REQUIRE(alias);
  CHECK(alias->status == 201);

  struct Refused {
    const char* name;
    std::string body;
    int status;
    const char* code;
  };
  const Refused refused[] = {
      {"outside the roots", register_body(fixture_path("noaudio.mp4")), 403, "outside_media_roots"},
      {"a symlink escaping the root", register_body(root.dir + "/escape.mp4"), 403, "outside_media_roots"},
      {"dot-dot out of the root",
       register_body(root.dir + "/" + fs::relative(fixture_path("noaudio.mp4"), root.dir).string()), 403,
       "outside_media_roots"},
      {"not a video", register_body(root.dir + "/notes.txt"), 400, "not_a_video"},
      {"no such file", register_body(root.dir + "/missing.mp4"), 400, "unreadable_file"},
      {"relative path", register_body("in.mp4"), 400, "unreadable_file"},
      {"bad uuid", register_body(root.dir + "/in.mp4", "XYZ"), 400, "bad_file_uuid"},
      {"not JSON", "{path", 400, "bad_request_body"},
      {"no path", R"({"file_uuid":null})", 400, "bad_request_body"},
      {"unknown member", R"({"path":"/x","colour":"red"})", 400, "bad_request_body"},
  };
  for (const Refused& r : refused) {
    CAPTURE(r.name);
    auto res = client.Post("/api/v1/files", headers, r.body, "application/json");
    REQUIRE(res);
    CAPTURE(res->body);
    CHECK(res->status == r.status);
    CHECK(error_code(res) == r.code);
  }

  // Without --media-root, registration over HTTP is off.
  TestServer closed;
  auto closed_client = closed.client();
  auto off = closed_client.Post("/api/v1/files", headers, register_body(root.dir + "/in.mp4"), "application/json");
  REQUIRE(off);
  CHECK(off->status == 403);
  CHECK(error_code(off) == "registration_disabled");
  CHECK(off->body.find("--media-root") != std::string::npos);
}

TEST_CASE("ingest: PUT replaces, POST appends, and a bad line anywhere changes nothing") {
  MediaRoot root;
  TestServer server(config_with_root(root));
  auto client = server.client();
  const auto headers = key_headers(write_key());
  std::string uuid = register_over_http(server, root);
  const std::string path = detections_path(uuid);

  auto jsonl = client.Put(path.c_str(), headers, read_text_file(fixture_path("noaudio.jsonl")), "application/x-ndjson");
  REQUIRE(jsonl);
  CAPTURE(jsonl->body);
  REQUIRE(jsonl->status == 200);
  rapidjson::Document summary = parse_body(jsonl);
  CHECK(summary["detections"].GetInt64() == 404);
  CHECK(count(k_detections, uuid) == 404);

  auto appended =
      client.Post(path.c_str(), headers, detection(0, 900, 0) + detection(1, 900, 2), "application/x-ndjson");
  REQUIRE(appended);
  CHECK(appended->status == 200);
  CHECK(count(k_detections, uuid) == 406);
  auto again = client.Post(path.c_str(), headers, detection(5, 900, 0), "application/x-ndjson");
  REQUIRE(again);
  CHECK(again->status == 409);
  CHECK(error_code(again) == "traces_exist");
  CHECK(again->body.find("PUT") != std::string::npos);

  // A bad line in the middle of a large body: 400 naming it, nothing changed.
  std::string body;
  for (int frame = 0; frame < 100; ++frame) body += detection(frame, 1, 0);
  body += R"({"frame_number":3,"trace_id":2,"bbox":{"x":300,"y":0,"width":40,"height":10},"confidence":0.5})"
          "\n";
  for (int frame = 0; frame < 100; ++frame) body += detection(frame, 3, 0);
  auto bad = client.Put(path.c_str(), headers, body, "application/x-ndjson");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(error_code(bad) == "bad_detection");
  CHECK(bad->body.find("line 101") != std::string::npos);
  CHECK(bad->body.find("x + width") != std::string::npos);
  CHECK(count(k_detections, uuid) == 406);

  // MOTChallenge CSV replaces: 1-based by default, 0-based on request.
  auto csv = client.Put(path.c_str(), headers, "1,1,0,0,10,10,0.5,-1,-1,-1\n2,1,0,0,10,10,0.5,-1,-1,-1\n", "text/csv");
  REQUIRE(csv);
  CHECK(csv->status == 200);
  CHECK(count(k_detections, uuid) == 2);
  CHECK(count("SELECT min(frame_number) FROM detections WHERE file_uuid = $1::uuid", uuid) == 0);
  auto zero_based = client.Put((path + "?frame_base=0").c_str(), headers, "0,4,0,0,10,10,0.5,-1,-1,-1\n", "text/csv");
  REQUIRE(zero_based);
  CHECK(zero_based->status == 200);
  CHECK(count("SELECT min(frame_number) FROM detections WHERE file_uuid = $1::uuid", uuid) == 0);
  auto bad_csv =
      client.Put(path.c_str(), headers, "1,1,0,0,10,10,0.5,-1,-1,-1\n0,1,0,0,10,10,0.5,-1,-1,-1\n", "text/csv");
  REQUIRE(bad_csv);
  CHECK(bad_csv->status == 400);
  CHECK(bad_csv->body.find("line 2") != std::string::npos);
  CHECK(count(k_detections, uuid) == 1);

  auto wrong_type = client.Put(path.c_str(), headers, detection(1, 1, 0), "application/xml");
  REQUIRE(wrong_type);
  CHECK(wrong_type->status == 400);
  CHECK(error_code(wrong_type) == "unsupported_content_type");
  auto bad_base = client.Put((path + "?frame_base=2").c_str(), headers, detection(1, 1, 0), "text/csv");
  REQUIRE(bad_base);
  CHECK(bad_base->status == 400);
  auto unknown = client.Put(detections_path("0123456789abcdef0123456789abcdef").c_str(), headers, detection(1, 1, 0),
                            "application/x-ndjson");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(count(k_detections, uuid) == 1);
}

TEST_CASE("ingest: a body beyond --max-upload-bytes is a 413 that says the cap, and changes nothing") {
  MediaRoot root;
  app::ServerConfig config = config_with_root(root);
  config.max_upload_bytes = 4096;
  TestServer server(config);
  auto client = server.client();
  const auto headers = key_headers(write_key());
  std::string uuid = register_over_http(server, root);
  std::string small;
  for (int frame = 0; frame < 10; ++frame) small += detection(frame, 1, 0);
  REQUIRE(small.size() < 4096);
  auto fits = client.Put(detections_path(uuid).c_str(), headers, small, "application/x-ndjson");
  REQUIRE(fits);
  CHECK(fits->status == 200);

  std::string big;
  for (int frame = 0; frame < 100; ++frame) big += detection(frame, 2, 0);
  REQUIRE(big.size() > 4096);
  auto res = client.Put(detections_path(uuid).c_str(), headers, big, "application/x-ndjson");
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(error_code(res) == "payload_too_large");
  CHECK(res->body.find("4096") != std::string::npos);
  CHECK(count(k_detections, uuid) == 10);

  // Chunked, without a Content-Length: counted as it arrives.
  auto client2 = server.client();
  size_t sent = 0;
  auto chunked = client2.Put(
      detections_path(uuid).c_str(), headers,
      [&](size_t, httplib::DataSink& sink) {
        if (sent >= big.size()) {
          sink.done();
          return true;
        }
        size_t n = std::min<size_t>(1000, big.size() - sent);
        sink.write(big.data() + sent, n);
        sent += n;
        return true;
      },
      "application/x-ndjson");
  REQUIRE(chunked);
  CHECK(chunked->status == 413);
  CHECK(count(k_detections, uuid) == 10);
}

TEST_CASE("ingest: DELETE removes the file and its detections, never the media") {
  MediaRoot root;
  TestServer server(config_with_root(root));
  auto client = server.client();
  const auto headers = key_headers(write_key());
  std::string uuid = register_over_http(server, root);
  auto put = client.Put(detections_path(uuid).c_str(), headers, detection(1, 1, 0), "application/x-ndjson");
  REQUIRE(put);
  REQUIRE(put->status == 200);

  auto del = client.Delete(("/api/v1/file/" + uuid).c_str(), headers);
  REQUIRE(del);
  CHECK(del->status == 204);
  CHECK(del->body.empty());
  CHECK(count(k_detections, uuid) == 0);
  CHECK(fs::exists(root.dir + "/in.mp4"));
  auto gone = client.Get(("/api/v1/file/" + uuid).c_str(), key_headers(all_files_key()));
  REQUIRE(gone);
  CHECK(gone->status == 404);
  auto again = client.Delete(("/api/v1/file/" + uuid).c_str(), headers);
  REQUIRE(again);
  CHECK(again->status == 404);
  // The same media can be registered again.
  CHECK(!register_over_http(server, root).empty());
}

TEST_CASE("ingest: a re-import over HTTP replaces the memoised representative face") {
  MediaRoot root;
  TestServer server(config_with_root(root));
  auto client = server.client();
  const auto headers = key_headers(write_key());
  std::string uuid = register_over_http(server, root);
  std::string first;
  for (int frame = 0; frame < 10; ++frame) first += detection(frame, 1, 20);
  auto put = client.Put(detections_path(uuid).c_str(), headers, first, "application/x-ndjson");
  REQUIRE(put);
  REQUIRE(put->status == 200);
  const std::string face = "/api/v1/file/" + uuid + "/trace/1/representative-face";
  auto before = client.Get(face.c_str(), key_headers(all_files_key()));
  REQUIRE(before);
  CAPTURE(before->body);
  REQUIRE(before->status == 200);
  CHECK(parse_body(before)["representative"]["frame_number"].GetInt64() < 10);

  std::string second;
  for (int frame = 100; frame < 103; ++frame) second += detection(frame, 1, 60);
  auto replaced = client.Put(detections_path(uuid).c_str(), headers, second, "application/x-ndjson");
  REQUIRE(replaced);
  REQUIRE(replaced->status == 200);
  auto after = client.Get(face.c_str(), key_headers(all_files_key()));
  REQUIRE(after);
  REQUIRE(after->status == 200);
  CHECK(parse_body(after)["representative"]["frame_number"].GetInt64() >= 100);
  if (before->has_header("ETag")) CHECK(after->get_header_value("ETag") != before->get_header_value("ETag"));
}

namespace {

struct Upload {
  std::string response;   // empty when the server closed without one
  bool sent_all = false;  // false: the server closed the connection mid-body
};

// Sends `head` and then `body` in `pieces` writes `gap` apart over a raw
// connection, then reads the response.
Upload slow_upload(int port, const std::string& head, const std::string& body, int pieces,
                   std::chrono::milliseconds gap) {
  RawConnection connection(port);
  bool sent = connection.send(head);
  const size_t step = (body.size() + static_cast<size_t>(pieces) - 1) / static_cast<size_t>(pieces);
  for (size_t at = 0; sent && at < body.size(); at += step) {
    std::this_thread::sleep_for(gap);  // the pace is what is tested, not a wait for something
    sent = connection.send(body.substr(at, step));
  }
  Upload upload;
  upload.sent_all = sent;
  // The request says Connection: close, so the response ends at the
  // connection's end.
  if (sent) upload.response = connection.read_at_least(size_t{1} << 20, std::chrono::seconds(20));
  return upload;
}

}  // namespace

TEST_CASE("ingest: an upload longer than --header-timeout is not cut while it flows; a trickled body is") {
  app::ServerConfig config = TestServer::test_config();
  config.header_timeout_secs = 1;
  TestServer server(config);
  std::string uuid = register_own_fixture("long.mp4");
  // Two traces over all 1500 frames: about 250 KB.
  std::string body;
  for (int trace = 1; trace <= 2; ++trace) {
    for (int frame = 0; frame < 1500; ++frame) {
      body += "{\"frame_number\":" + std::to_string(frame) + ",\"trace_id\":" + std::to_string(trace) +
              ",\"bbox\":{\"x\":" + std::to_string(10 * trace) +
              ",\"y\":20,\"width\":40,\"height\":40},\"confidence\":0.9}\n";
    }
  }
  auto head = [&](size_t length) {
    return "PUT /api/v1/file/" + uuid + "/detections HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + write_key() +
           "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + std::to_string(length) +
           "\r\nConnection: close\r\n\r\n";
  };

  // 30 pieces 100 ms apart: 3 s at about 80 KB/s, three times the deadline.
  Upload flowing = slow_upload(server.port(), head(body.size()), body, 30, std::chrono::milliseconds(100));
  CAPTURE(flowing.response.substr(0, 400));
  CHECK(flowing.sent_all);
  CHECK(flowing.response.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(count(k_detections, uuid) == 3000);

  // The same upload a byte every 100 ms: the server shuts the connection
  // while the client is still sending, and nothing changes.
  auto start = std::chrono::steady_clock::now();
  Upload trickled =
      slow_upload(server.port(), head(body.size()), body.substr(0, 60), 60, std::chrono::milliseconds(100));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("the trickled upload was cut; the client noticed after " << seconds << " s");
  CHECK_FALSE(trickled.sent_all);
  CHECK(trickled.response.rfind("HTTP/1.1 200", 0) != 0);
  CHECK(count(k_detections, uuid) == 3000);
}
