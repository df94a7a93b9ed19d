// Representative faces, trace thumbnails and co-occurrence over real HTTP,
// on fixtures whose blurred frames and co-occurrence start are known.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/text.hpp"
#include "faces/face_service.hpp"
#include "scene.hpp"
#include "support/media_checks.hpp"
#include "support/request_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
rapidjson::Document get_json(TestServer& server, const std::string& path, int expected_status = 200) {
  auto client = server.client();
  auto res = client.Get(path.c_str(), key_headers(all_files_key()));
  REQUIRE(res);
  CHECK(res->status == expected_status);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string error_code(const rapidjson::Document& doc) {
  return doc.HasMember("error") ? doc["error"]["code"].GetString() : "";
}

// The fixture's blurred frames of a trace (on the 150-frame timeline).
std::set<int64_t> blurred_frames(int64_t trace) {
  fixtures::Scene scene(320, 240, 150);
  std::set<int64_t> frames;
  for (const auto& t : scene.traces()) {
    if (t.trace_id == trace) frames.insert(t.blurred_frames.begin(), t.blurred_frames.end());
  }
  return frames;
}

struct Line {
  int64_t frame;
  int64_t trace;
  std::string identity;
};

std::vector<Line> read_jsonl(const std::string& path) {
  std::vector<Line> lines;
  std::ifstream in(path);
  std::string text;
  while (std::getline(in, text)) {
    rapidjson::Document d;
    d.Parse(text.c_str());
    Line l{d["frame_number"].GetInt64(), d["trace_id"].GetInt64(),
           d.HasMember("identity_uuid") ? d["identity_uuid"].GetString() : ""};
    lines.push_back(l);
  }
  return lines;
}
}  // namespace

TEST_CASE("the representative face is never a blurred frame, even when blurred frames rank first") {
  TestServer server;
  for (const char* fixture : {"bframes.mp4", "opengop.ts", "vp9.webm", "vfr.mp4"}) {
    CAPTURE(fixture);
    const std::string& uuid = registered_fixture(fixture);
    for (int64_t trace : {2, 4}) {
      CAPTURE(trace);
      // Stage one ranks the blurred (bigger, surer) faces on top...
      auto candidates = shared_app().faces().representative_face(shared_app().catalog().resolve(uuid).value(), trace);
      REQUIRE(candidates);
      db::FaceStore store(shared_app().database());
      auto top = store.trace_candidates(uuid, trace, 10);
      REQUIRE(top);
      std::set<int64_t> blurred = blurred_frames(trace);
      for (size_t i = 0; i < blurred.size(); ++i) CHECK(blurred.count(top->at(i).frame_number) == 1);
      // ...and stage two sees through them.
      rapidjson::Document doc =
          get_json(server, "/api/v1/file/" + uuid + "/trace/" + std::to_string(trace) + "/representative-face");
      const auto& rep = doc["representative"];
      CHECK(blurred.count(rep["frame_number"].GetInt64()) == 0);
      CHECK(rep["blur_score"].IsNumber());
    }
  }
}

TEST_CASE("representative-face: the fields and types of the specification") {
  TestServer server;
  const std::string& uuid = registered_fixture("vfr.mp4");
  rapidjson::Document doc = get_json(server, "/api/v1/file/" + uuid + "/trace/2/representative-face");
  CHECK(doc["success"].GetBool());
  CHECK(std::string(doc["file_uuid"].GetString()) == uuid);
  CHECK(doc["trace_id"].IsInt64());
  CHECK(doc["trace_id"].GetInt64() == 2);
  CHECK(doc["face_count"].GetInt64() == 81);  // frames 40..120
  const auto& rep = doc["representative"];
  REQUIRE(rep.IsObject());
  CHECK(rep["frame_number"].IsInt64());
  CHECK(rep["timestamp_secs"].IsDouble());
  CHECK(rep["bbox"]["x"].IsInt());
  CHECK(rep["bbox"]["y"].IsInt());
  CHECK(rep["bbox"]["width"].IsInt());
  CHECK(rep["bbox"]["height"].IsInt());
  CHECK(rep["confidence"].IsDouble());
  CHECK(rep["quality_score"].IsDouble());
  CHECK(rep["blur_score"].IsDouble());
  double area = rep["bbox"]["width"].GetDouble() * rep["bbox"]["height"].GetDouble();
  CHECK(rep["quality_score"].GetDouble() == doctest::Approx(area * rep["confidence"].GetDouble()));
  // The timestamp is the frame's real pts (variable frame rate), not frame / fps.
  auto file = shared_app().catalog().resolve(uuid);
  REQUIRE(file);
  int64_t frame = rep["frame_number"].GetInt64();
  CHECK(rep["timestamp_secs"].GetDouble() == doctest::Approx(file->media->timestamp_secs(frame)).epsilon(1e-6));
  CHECK(std::abs(rep["timestamp_secs"].GetDouble() - frame / file->media->info.fps.value()) > 0.1);
  CHECK(std::string(doc["identity"]["name"].GetString()) == fixtures::Scene::cary().name);

  // The CLI twin prints the same document.
  CommandResult cli = run_cli({"representative-face", uuid, "2"});
  CHECK(cli.exit_code == 0);
  auto client = server.client();
  auto res =
      client.Get(("/api/v1/file/" + uuid + "/trace/2/representative-face").c_str(), key_headers(all_files_key()));
  REQUIRE(res);
  CHECK(std::string(trim(cli.out)) == res->body);
}

TEST_CASE("representative-face errors") {
  TestServer server;
  const std::string& uuid = registered_fixture("bframes.mp4");
  CHECK(error_code(get_json(server, "/api/v1/file/" + uuid + "/trace/999/representative-face", 404)) ==
        "trace_not_found");
  CHECK(error_code(get_json(server, "/api/v1/file/" + uuid + "/trace/x/representative-face", 400)) == "bad_trace_id");
  CHECK(error_code(get_json(server, "/api/v1/file/0123456789abcdef0123456789abcdef/trace/1/representative-face",
                            404)) == "file_not_found");
  CHECK(run_cli({"representative-face", uuid, "999"}).exit_code == 5);
}

TEST_CASE("the memo answers repeats and a re-import invalidates it") {
  TestServer server;
  CommandResult add = run_cli({"file", "add", fixture_path("noaudio.mp4")});
  REQUIRE(add.exit_code == 0);
  std::string uuid(trim(add.out));
  REQUIRE(run_cli({"import", uuid, fixture_path("noaudio.jsonl")}).exit_code == 0);
  std::string path = "/api/v1/file/" + uuid + "/trace/2/representative-face";
  rapidjson::Document first = get_json(server, path);
  int64_t chosen = first["representative"]["frame_number"].GetInt64();
  auto memo = shared_app().database().query(
      "SELECT count(*) FROM face_selections WHERE file_uuid = $1::uuid AND selection_key = 'trace:2'", {uuid});
  REQUIRE(memo);
  CHECK(memo->int64(0, 0) == 1);
  rapidjson::Document again = get_json(server, path);
  CHECK(again["representative"]["frame_number"].GetInt64() == chosen);

  // Re-import without the chosen frame: the answer must change.
  std::ifstream in(fixture_path("noaudio.jsonl"));
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.find("\"frame_number\":" + std::to_string(chosen) + ",\"trace_id\":2,") == std::string::npos) {
      kept += line + "\n";
    }
  }
  REQUIRE(run_cli({"import", uuid, "-", "--replace"}, kept).exit_code == 0);
  rapidjson::Document after = get_json(server, path);
  CHECK(after["representative"]["frame_number"].GetInt64() != chosen);
  CHECK(after["face_count"].GetInt64() == first["face_count"].GetInt64() - 1);
}

TEST_CASE("flat crops cannot be measured: they rank last and never put NaN in the JSON") {
  // Left half textured, right half flat grey.
  char dir_template[] = "/tmp/frameserve-flat.XXXXXX";
  REQUIRE(::mkdtemp(dir_template));
  std::string video = std::string(dir_template) + "/flat.mp4";
  CommandResult made = run_command({ffmpeg_path(), "-v", "error", "-f", "lavfi", "-i",
                                    "testsrc2=s=160x120:r=25:d=1[a];color=c=gray:s=160x120:r=25:d=1[b];[a][b]hstack",
                                    "-c:v", "libx264", "-pix_fmt", "yuv420p", video});
  REQUIRE(made.exit_code == 0);
  CommandResult add = run_cli({"file", "add", video});
  REQUIRE(add.exit_code == 0);
  std::string uuid(trim(add.out));
  // Trace 1: the biggest, surest box is flat; trace 2: only flat boxes.
  std::string jsonl =
      R"({"frame_number":5,"trace_id":1,"bbox":{"x":170,"y":10,"width":100,"height":100},"confidence":1.0})"
      "\n"
      R"({"frame_number":6,"trace_id":1,"bbox":{"x":20,"y":20,"width":60,"height":60},"confidence":0.8})"
      "\n"
      R"({"frame_number":5,"trace_id":2,"bbox":{"x":200,"y":20,"width":50,"height":50},"confidence":0.9})"
      "\n"
      R"({"frame_number":9,"trace_id":2,"bbox":{"x":220,"y":30,"width":60,"height":60},"confidence":0.9})"
      "\n";
  REQUIRE(run_cli({"import", uuid, "-"}, jsonl).exit_code == 0);
  TestServer server;
  rapidjson::Document one = get_json(server, "/api/v1/file/" + uuid + "/trace/1/representative-face");
  CHECK(one["representative"]["frame_number"].GetInt64() == 6);
  CHECK(one["representative"]["blur_score"].IsNumber());
  auto client = server.client();
  auto two =
      client.Get(("/api/v1/file/" + uuid + "/trace/2/representative-face").c_str(), key_headers(all_files_key()));
  REQUIRE(two);
  CHECK(two->status == 200);
  CHECK(two->body.find("nan") == std::string::npos);
  CHECK(two->body.find("NaN") == std::string::npos);
  CHECK(two->body.find("\"blur_score\":null") != std::string::npos);
  CHECK(two->body.find("\"frame_number\":9") != std::string::npos);  // the higher area x confidence
  run_command({"/bin/rm", "-rf", dir_template});
}

TEST_CASE("trace thumbnail: a 320x320 JPEG of the representative face, cacheable") {
  TestServer server;
  const std::string& uuid = registered_fixture("bframes.mp4");
  auto client = server.client();
  std::string path = "/api/v1/file/" + uuid + "/trace/1/thumbnail";
  auto res = client.Get(path.c_str(), key_headers(all_files_key()));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "image/jpeg");
  CHECK(res->get_header_value("Cache-Control") == "public, max-age=86400");
  CHECK(decode_image_rgb(res->body).size() == 320u * 320 * 3);

  // The same pixels as the face's square cut from the reference frame.
  rapidjson::Document rep = get_json(server, "/api/v1/file/" + uuid + "/trace/1/representative-face");
  const auto& r = rep["representative"];
  faces::FaceCandidate face;
  face.frame_number = r["frame_number"].GetInt64();
  face.x = r["bbox"]["x"].GetInt();
  face.y = r["bbox"]["y"].GetInt();
  face.width = r["bbox"]["width"].GetInt();
  face.height = r["bbox"]["height"].GetInt();
  faces::Square square = faces::face_square(face, 320, 240);
  std::string reference = reference_frame_rgb(fixture_path("bframes.mp4"), face.frame_number);
  std::string cut;
  for (int64_t row = square.y; row < square.y + square.side; ++row) {
    cut += reference.substr(static_cast<size_t>((row * 320 + square.x) * 3), static_cast<size_t>(square.side * 3));
  }
  std::string ours = decode_image_rgb(res->body, static_cast<int>(square.side), static_cast<int>(square.side));
  CHECK(psnr(ours, cut) > 25);

  httplib::Headers conditional = key_headers(all_files_key());
  conditional.emplace("If-None-Match", res->get_header_value("ETag"));
  auto cached = client.Get(path.c_str(), conditional);
  REQUIRE(cached);
  CHECK(cached->status == 304);
  check_rejected(server, "/api/v1/file/" + uuid + "/trace/999/thumbnail", 404, "trace_not_found");

  CommandResult cli = run_cli({"trace-thumbnail", uuid, "1", "-o", "-"});
  CHECK(cli.exit_code == 0);
  CHECK(sha256_hex(cli.out) == sha256_hex(res->body));
}

TEST_CASE("trace thumbnail: size and quality are part of the ETag") {
  TestServer server;
  const std::string& uuid = registered_fixture("bframes.mp4");
  auto client = server.client();
  const std::string path = "/api/v1/file/" + uuid + "/trace/1/thumbnail";
  auto fetch = [&](const std::string& query, const std::string& if_none_match) {
    httplib::Headers headers = key_headers(all_files_key());
    if (!if_none_match.empty()) headers.emplace("If-None-Match", if_none_match);
    return client.Get((path + query).c_str(), headers);
  };
  auto standard = fetch("", "");
  auto small = fetch("?size=160", "");
  auto rough = fetch("?quality=20", "");
  REQUIRE(standard);
  REQUIRE(small);
  REQUIRE(rough);
  REQUIRE(standard->status == 200);
  REQUIRE(small->status == 200);
  REQUIRE(rough->status == 200);
  CHECK(decode_image_rgb(small->body).size() == 160u * 160 * 3);
  CHECK(rough->body != standard->body);
  const std::string etag = standard->get_header_value("ETag");
  CHECK(small->get_header_value("ETag") != etag);
  CHECK(rough->get_header_value("ETag") != etag);
  CHECK(small->get_header_value("ETag") != rough->get_header_value("ETag"));

  // One image's ETag never answers 304 for another.
  auto other_size = fetch("?size=160", etag);
  REQUIRE(other_size);
  CHECK(other_size->status == 200);
  CHECK(other_size->body == small->body);
  auto other_quality = fetch("?quality=20", etag);
  REQUIRE(other_quality);
  CHECK(other_quality->status == 200);
  auto same = fetch("?size=320&quality=90", etag);  // the defaults, spelled out
  REQUIRE(same);
  CHECK(same->status == 304);
  auto same_small = fetch("?size=160", small->get_header_value("ETag"));
  REQUIRE(same_small);
  CHECK(same_small->status == 304);

  check_rejected(server, path + "?size=0", 400, "size");
  check_rejected(server, path + "?quality=101", 400, "quality");
  CommandResult cli = run_cli({"trace-thumbnail", uuid, "1", "--size", "160", "-o", "-"});
  CHECK(cli.exit_code == 0);
  CHECK(sha256_hex(cli.out) == sha256_hex(small->body));
}

TEST_CASE("co-occurrence equals a brute-force count over the imported detections") {
  TestServer server;
  const std::string audrey = fixtures::Scene::audrey().uuid;
  const std::string cary = fixtures::Scene::cary().uuid;
  for (const char* fixture : {"bframes.mp4", "vp9.webm"}) {
    CAPTURE(fixture);
    const std::string& uuid = registered_fixture(fixture);
    std::string stem = std::string(fixture).substr(0, std::string(fixture).find('.'));
    std::map<int64_t, std::set<std::string>> present;
    for (const Line& l : read_jsonl(fixture_path(stem + ".jsonl"))) {
      if (!l.identity.empty()) present[l.frame].insert(l.identity);
    }
    int64_t first = -1;
    int64_t count = 0;
    for (const auto& [frame, ids] : present) {
      if (ids.count(audrey) && ids.count(cary)) {
        if (first < 0) first = frame;
        ++count;
      }
    }
    REQUIRE(first == 70);
    rapidjson::Document doc =
        get_json(server, "/api/v1/file/" + uuid + "/identities/" + audrey + "/co-occur-with/" + cary);
    CHECK(doc["success"].GetBool());
    const auto& co = doc["first_cooccurrence"];
    CHECK(co["frame_number"].GetInt64() == first);
    CHECK(co["total_cooccurrence_frames"].GetInt64() == count);
    CHECK(co["timestamp_secs"].IsDouble());
    CHECK(std::string(doc["identity_a"]["name"].GetString()) == fixtures::Scene::audrey().name);
    CHECK(std::string(doc["identity_b"]["name"].GetString()) == fixtures::Scene::cary().name);
    CHECK(doc["identity_a"]["trace_id"].GetInt64() == 4);  // Audrey's second trace is the one on frame 70
    CHECK(doc["identity_b"]["trace_id"].GetInt64() == 2);
    for (const char* key : {"representative_face_a", "representative_face_b"}) {
      CAPTURE(key);
      const auto& face = co[key];
      CHECK(face["frame_number"].IsInt64());
      CHECK(face["bbox"]["width"].IsInt());
      CHECK(face["confidence"].IsDouble());
      std::string thumbnail = face["thumbnail_url"].GetString();
      CHECK(thumbnail.rfind("/api/v1/file/" + uuid + "/trace/", 0) == 0);
      std::string crop = face["crop_url"].GetString();
      CHECK(crop.rfind("/api/v1/file/" + uuid + "/thumbnail?frame=", 0) == 0);
      int64_t frame = face["frame_number"].GetInt64();
      CHECK(frame >= 70);
      CHECK(frame <= 120);
      CHECK(blurred_frames(2).count(frame) == 0);
      CHECK(blurred_frames(4).count(frame) == 0);
      auto client = server.client();
      auto image = client.Get(crop.c_str(), key_headers(all_files_key()));
      REQUIRE(image);
      CHECK(image->status == 200);
    }
    CommandResult cli = run_cli({"co-occur", uuid, audrey, cary});
    CHECK(cli.exit_code == 0);
    auto client = server.client();
    auto res = client.Get(("/api/v1/file/" + uuid + "/identities/" + audrey + "/co-occur-with/" + cary).c_str(),
                          key_headers(all_files_key()));
    REQUIRE(res);
    CHECK(std::string(trim(cli.out)) == res->body);
  }
}

TEST_CASE("co-occurrence: names come back intact, and each failure has its own answer") {
  TestServer server;
  const std::string& uuid = registered_fixture("noaudio.mp4");
  std::string base = "/api/v1/file/" + uuid + "/identities/";
  const std::string obrien = fixtures::Scene::obrien().uuid;
  const std::string zoe = fixtures::Scene::zoe().uuid;
  const std::string audrey = fixtures::Scene::audrey().uuid;
  rapidjson::Document together = get_json(server, base + obrien + "/co-occur-with/" + fixtures::Scene::cary().uuid);
  CHECK(std::string(together["identity_a"]["name"].GetString()) == "O'Brien: \"x\", [y]; \\z %{n}");
  // O'Brien (frames 20-90) and Zoë (100-149) never meet.
  rapidjson::Document never = get_json(server, base + obrien + "/co-occur-with/" + zoe, 404);
  CHECK(error_code(never) == "no_cooccurrence");
  CHECK(std::string(never["error"]["message"].GetString()).find("Zo\xc3\xab \xc3\x9cnsal") != std::string::npos);
  CHECK(error_code(get_json(server, base + audrey + "/co-occur-with/" + audrey, 400)) == "same_identity");
  CHECK(error_code(get_json(server, base + "nope/co-occur-with/" + audrey, 400)) == "bad_identity_uuid");
  CHECK(error_code(get_json(server, base + "11111111-2222-3333-4444-555555555555/co-occur-with/" + audrey, 404)) ==
        "identity_not_found");
  // An identity that exists, but not in this file.
  CommandResult add = run_cli({"file", "add", fixture_path("noaudio.mp4")});
  REQUIRE(add.exit_code == 0);
  std::string other(trim(add.out));
  std::string jsonl = R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":10,"height":10},"confidence":0.5,)"
                      R"("identity_uuid":"99999999-8888-7777-6666-555555555555","identity_name":"Elsewhere"})"
                      "\n";
  REQUIRE(run_cli({"import", other, "-"}, jsonl).exit_code == 0);
  CHECK(error_code(get_json(server, base + "99999999-8888-7777-6666-555555555555/co-occur-with/" + audrey, 404)) ==
        "identity_not_in_file");
}

TEST_CASE("co-occurrence follows a re-import: memoised frame runs are never stale") {
  TestServer server;
  CommandResult add = run_cli({"file", "add", fixture_path("noaudio.mp4")});
  REQUIRE(add.exit_code == 0);
  std::string uuid(trim(add.out));
  const std::string a = "aaaaaaaa-1111-4000-8000-000000000001";
  const std::string b = "bbbbbbbb-2222-4000-8000-000000000002";
  // Identity `a` on frames [first_a, last_a] (trace 1), `b` on [first_b, last_b] (trace 2).
  auto detections = [&](int first_a, int last_a, int first_b, int last_b) {
    std::string jsonl;
    auto add_line = [&](int frame, int trace, const std::string& identity, const char* name) {
      jsonl += R"({"frame_number":)" + std::to_string(frame) + R"(,"trace_id":)" + std::to_string(trace) +
               R"(,"bbox":{"x":10,"y":10,"width":40,"height":40},"confidence":0.9,"identity_uuid":")" + identity +
               R"(","identity_name":")" + name + "\"}\n";
    };
    for (int f = first_a; f <= last_a; ++f) add_line(f, 1, a, "A");
    for (int f = first_b; f <= last_b; ++f) add_line(f, 2, b, "B");
    return jsonl;
  };
  std::string path = "/api/v1/file/" + uuid + "/identities/" + a + "/co-occur-with/" + b;

  REQUIRE(run_cli({"import", uuid, "-", "--replace"}, detections(10, 20, 15, 30)).exit_code == 0);
  for (int repeat = 0; repeat < 2; ++repeat) {  // the second answer comes from the memo
    CAPTURE(repeat);
    rapidjson::Document doc = get_json(server, path);
    CHECK(doc["first_cooccurrence"]["frame_number"].GetInt64() == 15);
    CHECK(doc["first_cooccurrence"]["total_cooccurrence_frames"].GetInt64() == 6);
  }
  REQUIRE(run_cli({"import", uuid, "-", "--replace"}, detections(10, 20, 18, 40)).exit_code == 0);
  rapidjson::Document after = get_json(server, path);
  CHECK(after["first_cooccurrence"]["frame_number"].GetInt64() == 18);
  CHECK(after["first_cooccurrence"]["total_cooccurrence_frames"].GetInt64() == 3);
  REQUIRE(run_cli({"import", uuid, "-", "--replace"}, detections(10, 20, 21, 40)).exit_code == 0);
  CHECK(error_code(get_json(server, path, 404)) == "no_cooccurrence");
}
