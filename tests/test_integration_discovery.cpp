// Discovery over real HTTP against real PostgreSQL: GET /, /api/v1, the
// file list, a file, its identities, traces and detections — paging with
// small limits visits every item exactly once, scoped credentials see only
// their files, and bad limits, cursors and ranges are 400s that say why.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <set>

#include "auth/jwt_codec.hpp"
#include "common/text.hpp"
#include "support/request_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {

// GETs `path` and parses its JSON body; REQUIREs the status.
rapidjson::Document get_json(TestServer& server, const std::string& path, const httplib::Headers& headers,
                             int status = 200) {
  CAPTURE(path);
  auto client = server.client();
  auto res = client.Get(path.c_str(), headers);
  REQUIRE(res);
  CAPTURE(res->body);
  REQUIRE(res->status == status);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  REQUIRE(doc.IsObject());
  REQUIRE(doc.HasMember("success"));
  CHECK(doc["success"].GetBool() == (status < 400));
  return doc;
}

std::string with_param(const std::string& path, const std::string& name, const std::string& value) {
  return path + (path.find('?') == std::string::npos ? "?" : "&") + name + "=" + value;
}

// Follows next_cursor from `path` with `limit`, calling `visit` for each
// element of `array`; returns the number of pages.
template <typename Visit>
int walk_pages(TestServer& server, const std::string& path, int limit, const char* array,
               const httplib::Headers& headers, Visit&& visit) {
  std::string cursor;
  int pages = 0;
  while (true) {
    std::string url = with_param(path, "limit", std::to_string(limit));
    if (!cursor.empty()) url = with_param(url, "cursor", cursor);
    rapidjson::Document doc = get_json(server, url, headers);
    ++pages;
    REQUIRE(doc.HasMember(array));
    REQUIRE(doc[array].IsArray());
    CHECK(doc[array].Size() <= static_cast<unsigned>(limit));
    for (const auto& item : doc[array].GetArray()) visit(item);
    REQUIRE(doc.HasMember("next_cursor"));
    if (doc["next_cursor"].IsNull()) break;
    // A page that says more follows is full.
    CHECK(doc[array].Size() == static_cast<unsigned>(limit));
    cursor = doc["next_cursor"].GetString();
    REQUIRE(pages < 1000);
  }
  return pages;
}

// What the fixture's jsonl says about each trace.
struct ExpectedTrace {
  std::string identity_uuid;
  std::string name;
  int64_t count = 0;
  int64_t first = INT64_MAX;
  int64_t last = -1;
};

std::map<int64_t, ExpectedTrace> expected_traces(const std::string& jsonl) {
  std::map<int64_t, ExpectedTrace> traces;
  std::ifstream in(fixture_path(jsonl));
  std::string line;
  while (std::getline(in, line)) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    if (!d.IsObject()) continue;
    ExpectedTrace& t = traces[d["trace_id"].GetInt64()];
    int64_t frame = d["frame_number"].GetInt64();
    if (d.HasMember("identity_uuid")) t.identity_uuid = d["identity_uuid"].GetString();
    if (d.HasMember("identity_name")) t.name = d["identity_name"].GetString();
    ++t.count;
    t.first = std::min(t.first, frame);
    t.last = std::max(t.last, frame);
  }
  return traces;
}

std::string key_for(const std::vector<std::string>& files) {
  std::vector<std::string> args = {"key", "create", "--name", "discovery"};
  for (const auto& f : files) args.insert(args.end(), {"--file", f});
  CommandResult r = run_cli(args);
  REQUIRE(r.exit_code == 0);
  return std::string(trim(r.out));
}

std::string file_path(const std::string& uuid) { return "/api/v1/file/" + uuid; }

}  // namespace

TEST_CASE("discovery: / and /api/v1 point the way without credentials") {
  TestServer server;
  rapidjson::Document root = get_json(server, "/", {});
  CHECK(std::string(root["api"].GetString()) == "/api/v1");
  rapidjson::Document index = get_json(server, "/api/v1", {});
  CHECK(std::string(index["name"].GetString()) == "frameserve");
  CHECK(index["version"].IsString());
  REQUIRE(index.HasMember("links"));
  CHECK(std::string(index["links"]["files"].GetString()) == "/api/v1/files");
  CHECK(std::string(index["links"]["openapi"].GetString()) == "/api/v1/openapi.json");
  // The lists themselves need credentials.
  rapidjson::Document refused = get_json(server, "/api/v1/files", {}, 401);
  CHECK(std::string(refused["error"]["code"].GetString()) == "missing_credentials");
}

TEST_CASE("discovery: paging through the files visits each exactly once") {
  const std::string& noaudio = registered_fixture("noaudio.mp4");
  registered_fixture("bframes.mp4");
  registered_fixture("vfr.mp4");
  // More registrations of one small video, so that small pages are many.
  for (int i = 1; i <= 4; ++i) {
    std::string uuid = "d15c0" + std::string(26, '0') + std::to_string(i);
    CommandResult added = run_cli({"file", "add", fixture_path("noaudio.mp4"), "--uuid", uuid});
    CHECK((added.exit_code == 0 || added.exit_code == 6));
  }
  auto all = shared_app().files().list();
  REQUIRE(all);
  std::set<std::string> expected;
  for (const auto& f : all.value()) expected.insert(f.file_uuid);
  REQUIRE(expected.size() >= 7);

  TestServer server;
  httplib::Headers key = key_headers(all_files_key());
  for (int limit : {1, 2, 3, 1000}) {
    CAPTURE(limit);
    std::vector<std::string> seen;
    int pages = walk_pages(server, "/api/v1/files", limit, "files", key,
                           [&](const rapidjson::Value& f) { seen.push_back(f["file_uuid"].GetString()); });
    CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == seen.size());
    CHECK(std::set<std::string>(seen.begin(), seen.end()) == expected);
    // The look-ahead row means no empty last page, even when the count
    // divides evenly.
    CHECK(pages == static_cast<int>((expected.size() + limit - 1) / limit));
  }

  SUBCASE("a file's fields and counts") {
    auto traces = expected_traces("noaudio.jsonl");
    std::set<std::string> identities;
    int64_t detections = 0;
    for (const auto& [id, t] : traces) {
      if (!t.identity_uuid.empty()) identities.insert(t.identity_uuid);
      detections += t.count;
    }
    bool found = false;
    walk_pages(server, "/api/v1/files", 1000, "files", key, [&](const rapidjson::Value& f) {
      if (std::string(f["file_uuid"].GetString()) != noaudio) return;
      found = true;
      CHECK(std::string(f["name"].GetString()) == "noaudio.mp4");
      CHECK(f["trace_count"].GetInt64() == static_cast<int64_t>(traces.size()));
      CHECK(f["identity_count"].GetInt64() == static_cast<int64_t>(identities.size()));
      CHECK(f["detection_count"].GetInt64() == detections);
      CHECK(f["has_audio"].GetBool() == false);
      CHECK(f["frame_count"].GetInt64() > 0);
      CHECK(f["fps"].GetDouble() > 0);
      CHECK(std::string(f["created_at"].GetString()).size() == 27);
      for (const char* field : {"duration_secs", "width", "height", "video_codec"}) CHECK(f.HasMember(field));
    });
    CHECK(found);
    rapidjson::Document one = get_json(server, file_path(noaudio), key);
    REQUIRE(one.HasMember("file"));
    CHECK(std::string(one["file"]["file_uuid"].GetString()) == noaudio);
    CHECK(one["file"]["detection_count"].GetInt64() == detections);
    REQUIRE(one["file"]["streams"].IsArray());
    CHECK(one["file"]["streams"].Size() == 1);  // no audio
    CHECK(std::string(one["file"]["streams"][0]["type"].GetString()) == "video");
    // A registration without detections counts zeros.
    rapidjson::Document bare = get_json(server, file_path("d15c0" + std::string(26, '0') + "1"), key);
    CHECK(bare["file"]["detection_count"].GetInt64() == 0);
    CHECK(bare["file"]["trace_count"].GetInt64() == 0);
  }
}

TEST_CASE("discovery: credentials limited to one file see only it") {
  const std::string& file_a = registered_fixture("noaudio.mp4");
  const std::string& file_b = registered_fixture("bframes.mp4");
  TestServer server;
  auto only_a = [&](const httplib::Headers& headers) {
    std::vector<std::string> seen;
    walk_pages(server, "/api/v1/files", 1, "files", headers,
               [&](const rapidjson::Value& f) { seen.push_back(f["file_uuid"].GetString()); });
    CHECK(seen == std::vector<std::string>{file_a});
    get_json(server, file_path(file_a), headers);
    get_json(server, file_path(file_a) + "/traces", headers);
    rapidjson::Document refused = get_json(server, file_path(file_b), headers, 403);
    CHECK(std::string(refused["error"]["code"].GetString()) == "file_not_covered");
    get_json(server, file_path(file_b) + "/identities", headers, 403);
    get_json(server, file_path(file_b) + "/detections?start_frame=0&end_frame=1", headers, 403);
  };
  SUBCASE("an API key") { only_a({{"X-API-Key", key_for({file_a})}}); }
  SUBCASE("a JWT") {
    auto token =
        auth::JwtCodec("test-secret").mint({file_a}, false, std::chrono::seconds(600), std::time(nullptr), "t");
    REQUIRE(token);
    only_a({{"Authorization", "Bearer " + *token}});
  }
}

TEST_CASE("discovery: traces and identities of a file") {
  const std::string& uuid = registered_fixture("noaudio.mp4");
  auto expected = expected_traces("noaudio.jsonl");
  REQUIRE(expected.size() >= 2);
  TestServer server;
  httplib::Headers key = key_headers(all_files_key());

  std::map<int64_t, int> seen;
  walk_pages(server, file_path(uuid) + "/traces", 1, "traces", key, [&](const rapidjson::Value& t) {
    int64_t id = t["trace_id"].GetInt64();
    ++seen[id];
    REQUIRE(expected.count(id) == 1);
    const ExpectedTrace& e = expected[id];
    CHECK(t["face_count"].GetInt64() == e.count);
    CHECK(t["first_frame"].GetInt64() == e.first);
    CHECK(t["last_frame"].GetInt64() == e.last);
    if (e.identity_uuid.empty()) {
      CHECK(t["identity_uuid"].IsNull());
    } else {
      CHECK(std::string(t["identity_uuid"].GetString()) == e.identity_uuid);
      CHECK(std::string(t["name"].GetString()) == e.name);
    }
    CHECK(std::string(t["thumbnail_url"].GetString()) ==
          file_path(uuid) + "/trace/" + std::to_string(id) + "/thumbnail");
    CHECK(std::string(t["representative_face_url"].GetString()) ==
          file_path(uuid) + "/trace/" + std::to_string(id) + "/representative-face");
  });
  CHECK(seen.size() == expected.size());
  for (const auto& [id, n] : seen) CHECK(n == 1);

  // Identities: every identity once, with its traces and summed figures.
  std::map<std::string, ExpectedTrace> by_identity;
  std::map<std::string, std::set<int64_t>> identity_traces;
  for (const auto& [id, t] : expected) {
    if (t.identity_uuid.empty()) continue;
    ExpectedTrace& i = by_identity[t.identity_uuid];
    i.name = t.name;
    i.count += t.count;
    i.first = std::min(i.first, t.first);
    i.last = std::max(i.last, t.last);
    identity_traces[t.identity_uuid].insert(id);
  }
  REQUIRE(!by_identity.empty());
  std::set<std::string> identities_seen;
  walk_pages(server, file_path(uuid) + "/identities", 1, "identities", key, [&](const rapidjson::Value& i) {
    std::string identity = i["identity_uuid"].GetString();
    CHECK(identities_seen.insert(identity).second);
    REQUIRE(by_identity.count(identity) == 1);
    CHECK(std::string(i["name"].GetString()) == by_identity[identity].name);
    CHECK(i["detection_count"].GetInt64() == by_identity[identity].count);
    CHECK(i["first_frame"].GetInt64() == by_identity[identity].first);
    CHECK(i["last_frame"].GetInt64() == by_identity[identity].last);
    std::set<int64_t> ids;
    for (const auto& id : i["trace_ids"].GetArray()) ids.insert(id.GetInt64());
    CHECK(ids == identity_traces[identity]);
  });
  CHECK(identities_seen.size() == by_identity.size());

  // ?identity_uuid= keeps that identity's traces only.
  const std::string& one = by_identity.begin()->first;
  std::set<int64_t> filtered;
  walk_pages(server, file_path(uuid) + "/traces?identity_uuid=" + one, 1, "traces", key,
             [&](const rapidjson::Value& t) { filtered.insert(t["trace_id"].GetInt64()); });
  CHECK(filtered == identity_traces[one]);
}

TEST_CASE("discovery: detections by frame, with real timestamps") {
  const std::string& uuid = registered_fixture("vfr.mp4");
  auto expected = expected_traces("vfr.jsonl");
  auto file = shared_app().catalog().resolve(uuid);
  REQUIRE(file);
  const media::MediaFile& media = *file->media;
  int64_t last = media.info.frame_count - 1;
  int64_t total = 0;
  for (const auto& [id, t] : expected) total += t.count;

  TestServer server;
  httplib::Headers key = key_headers(all_files_key());
  std::string path = file_path(uuid) + "/detections?start_frame=0&end_frame=" + std::to_string(last);
  std::set<int64_t> frames;
  int64_t detections = 0;
  walk_pages(server, path, 7, "frames", key, [&](const rapidjson::Value& f) {
    int64_t n = f["frame_number"].GetInt64();
    CHECK(frames.insert(n).second);
    CHECK(f["timestamp_secs"].GetDouble() == doctest::Approx(media.timestamp_secs(n)).epsilon(1e-9));
    REQUIRE(f["detections"].Size() > 0);
    for (const auto& d : f["detections"].GetArray()) {
      ++detections;
      int64_t trace = d["trace_id"].GetInt64();
      REQUIRE(expected.count(trace) == 1);
      CHECK(n >= expected[trace].first);
      CHECK(n <= expected[trace].last);
      CHECK(d["bbox"]["width"].GetInt() > 0);
      CHECK(d["confidence"].GetDouble() >= 0);
      if (!expected[trace].identity_uuid.empty()) {
        CHECK(std::string(d["identity_uuid"].GetString()) == expected[trace].identity_uuid);
        CHECK(std::string(d["name"].GetString()) == expected[trace].name);
      }
    }
  });
  CHECK(detections == total);

  // A sub-range holds exactly the frames inside it.
  rapidjson::Document part = get_json(server, file_path(uuid) + "/detections?start_frame=3&end_frame=5", key);
  for (const auto& f : part["frames"].GetArray()) {
    CHECK(f["frame_number"].GetInt64() >= 3);
    CHECK(f["frame_number"].GetInt64() <= 5);
  }
  CHECK(part["next_cursor"].IsNull());
}

TEST_CASE("discovery: bad limits, cursors and ranges are 400s that say what is valid") {
  const std::string& uuid = registered_fixture("noaudio.mp4");
  TestServer server;
  httplib::Headers key = key_headers(all_files_key());
  for (const char* limit : {"0", "1001", "-1", "abc", "1.5"}) {
    check_rejected(server, std::string("/api/v1/files?limit=") + limit, 400, "between 1 and 1000");
    check_rejected(server, file_path(uuid) + "/traces?limit=" + limit, 400, "between 1 and 1000");
  }
  check_rejected(server, "/api/v1/files?cursor=garbage", 400, "bad_cursor");
  check_rejected(server, "/api/v1/files?cursor=", 400, "bad_cursor");
  check_rejected(server, file_path(uuid) + "/identities?cursor=%21%21", 400, "bad_cursor");
  // A cursor of one list is refused by another.
  rapidjson::Document first = get_json(server, "/api/v1/files?limit=1", key);
  REQUIRE(first["next_cursor"].IsString());
  std::string files_cursor = first["next_cursor"].GetString();
  check_rejected(server, file_path(uuid) + "/traces?cursor=" + files_cursor, 400, "bad_cursor");
  check_rejected(server, file_path(uuid) + "/traces?identity_uuid=nobody", 400, "identity_uuid");

  std::string detections = file_path(uuid) + "/detections";
  check_rejected(server, detections, 400, "start_frame is required");
  check_rejected(server, detections + "?start_frame=0", 400, "end_frame is required");
  check_rejected(server, detections + "?start_frame=5&end_frame=4", 400, "is after end_frame");
  check_rejected(server, detections + "?start_frame=0&end_frame=10000", 400, "at most 10000 frames");
  check_rejected(server, detections + "?start_frame=0&end_frame=9999", 400, "outside the file");
  // A detections cursor belongs to its range.
  rapidjson::Document page = get_json(server, detections + "?start_frame=0&end_frame=20&limit=1", key);
  REQUIRE(page["next_cursor"].IsString());
  check_rejected(server, detections + "?start_frame=30&end_frame=40&cursor=" + page["next_cursor"].GetString(), 400,
                 "bad_cursor");
  check_rejected(server, "/api/v1/file/NOT-A-UUID/traces", 400, "bad_file_uuid");
}
