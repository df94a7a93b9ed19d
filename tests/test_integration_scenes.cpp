// The scenes of an identity, and of two identities together, over real HTTP
// and the CLI, on detections imported with a known layout (noaudio.mp4: 24
// fps, 150 frames, so the defaults are pad 24 and gap 48 frames).
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "scene.hpp"
#include "support/request_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
const std::string k_a = "aaaaaaaa-1111-4000-8000-00000000000a";
const std::string k_b = "bbbbbbbb-2222-4000-8000-00000000000b";
const std::string k_c = "cccccccc-3333-4000-8000-00000000000c";

std::string line(int frame, int trace, const std::string& identity, const char* name) {
  return R"({"frame_number":)" + std::to_string(frame) + R"(,"trace_id":)" + std::to_string(trace) +
         R"(,"bbox":{"x":10,"y":10,"width":40,"height":40},"confidence":0.9,"identity_uuid":")" + identity +
         R"(","identity_name":")" + name + "\"}\n";
}

// A: trace 1 on 10-20, trace 2 on 30-40, trace 3 on `t3_first`-`t3_last`,
// trace 4 on 5 and 145 only, trace 5 on 2, 35 and 149 (spans that enclose
// scenes they have no detection in). B: trace 6 on 15-35. C: trace 7 on 120-125.
std::string layout(int t3_first = 100, int t3_last = 110) {
  std::string jsonl;
  for (int f = 10; f <= 20; ++f) jsonl += line(f, 1, k_a, "A");
  for (int f = 30; f <= 40; ++f) jsonl += line(f, 2, k_a, "A");
  for (int f = t3_first; f <= t3_last; ++f) jsonl += line(f, 3, k_a, "A");
  for (int f : {5, 145}) jsonl += line(f, 4, k_a, "A");
  for (int f : {2, 35, 149}) jsonl += line(f, 5, k_a, "A");
  for (int f = 15; f <= 35; ++f) jsonl += line(f, 6, k_b, "B");
  for (int f = 120; f <= 125; ++f) jsonl += line(f, 7, k_c, "C");
  return jsonl;
}

struct ExpectedScene {
  int64_t start;
  int64_t end;
  std::vector<int64_t> traces;
};

rapidjson::Document get_json(TestServer& server, const std::string& path, int expected_status = 200) {
  auto client = server.client();
  auto res = client.Get(path.c_str(), key_headers(all_files_key()));
  REQUIRE(res);
  // REQUIRE: the checks that follow read members only a right answer has.
  REQUIRE(res->status == expected_status);
  if (expected_status == 200) CHECK(res->get_header_value("Cache-Control") == "private, max-age=60");
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string body_of(TestServer& server, const std::string& path) {
  auto client = server.client();
  auto res = client.Get(path.c_str(), key_headers(all_files_key()));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return res->body;
}

// Checks the scenes, their trace_ids, and that start_secs adds up the
// durations, each from the file's FrameIndex.
void check_scenes(const rapidjson::Document& doc, const std::string& uuid, const std::vector<ExpectedScene>& expected) {
  REQUIRE(doc.HasMember("scenes"));
  REQUIRE(doc["success"].GetBool());
  const auto& scenes = doc["scenes"];
  REQUIRE(scenes.IsArray());
  REQUIRE(scenes.Size() == expected.size());
  auto file = shared_app().catalog().resolve(uuid);
  REQUIRE(file);
  const media::FrameIndex& index = *file->media->index;
  double tb = static_cast<double>(index.time_base().num) / static_cast<double>(index.time_base().den);
  double clock = 0;
  for (rapidjson::SizeType i = 0; i < scenes.Size(); ++i) {
    CAPTURE(i);
    const auto& s = scenes[i];
    CHECK(s["start_frame"].GetInt64() == expected[i].start);
    CHECK(s["end_frame"].GetInt64() == expected[i].end);
    std::vector<int64_t> traces;
    for (const auto& t : s["trace_ids"].GetArray()) traces.push_back(t.GetInt64());
    CHECK(traces == expected[i].traces);
    CHECK(s["start_secs"].GetDouble() == doctest::Approx(clock).epsilon(1e-6));
    double duration = static_cast<double>(index.end_pts(expected[i].end) - index.pts(expected[i].start)) * tb;
    CHECK(s["duration_secs"].GetDouble() == doctest::Approx(duration).epsilon(1e-6));
    // A constant 24 fps file: one frame lasts 1/24 s.
    CHECK(duration ==
          doctest::Approx(static_cast<double>(expected[i].end - expected[i].start + 1) / 24.0).epsilon(1e-3));
    clock += duration;
  }
  CHECK(doc["duration_secs"].GetDouble() == doctest::Approx(clock).epsilon(1e-6));
}

std::string imported_file(const std::string& jsonl) {
  std::string uuid = register_own_fixture("noaudio.mp4");
  CommandResult imported = run_cli({"import", uuid, "-", "--replace"}, jsonl);
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  return uuid;
}
}  // namespace

TEST_CASE("scenes of an identity: joined across short gaps, padded, clamped, with the traces seen in each") {
  TestServer server;
  std::string uuid = imported_file(layout());
  std::string path = "/api/v1/file/" + uuid + "/identities/" + k_a + "/scenes";

  SUBCASE("no padding, gap 9: a gap of exactly 9 frames splits") {
    rapidjson::Document doc = get_json(server, path + "?pad_frames=0&gap_frames=9");
    CHECK(doc["pad_frames"].GetInt64() == 0);
    CHECK(doc["gap_frames"].GetInt64() == 9);
    // Traces 4 and 5 span scenes they have no detection in: only trace 5's
    // frame 35 puts it in the second scene.
    check_scenes(doc, uuid, {{2, 20, {1, 4, 5}}, {30, 40, {2, 5}}, {100, 110, {3}}, {145, 149, {4, 5}}});
  }
  SUBCASE("gap 10 joins the 9-frame gap") {
    rapidjson::Document doc = get_json(server, path + "?pad_frames=0&gap_frames=10");
    check_scenes(doc, uuid, {{2, 40, {1, 2, 4, 5}}, {100, 110, {3}}, {145, 149, {4, 5}}});
  }
  SUBCASE("defaults: pad 24 and gap 48 frames at 24 fps, padding clamped at both ends of the film") {
    rapidjson::Document doc = get_json(server, path);
    CHECK(doc["pad_frames"].GetInt64() == 24);
    CHECK(doc["gap_frames"].GetInt64() == 48);
    CHECK(std::string(doc["identity_uuid"].GetString()) == k_a);
    CHECK_FALSE(doc.HasMember("with_identity_uuid"));
    check_scenes(doc, uuid, {{0, 64, {1, 2, 4, 5}}, {76, 149, {3, 4, 5}}});
  }
  SUBCASE("padding that makes scenes touch merges them") {
    // [100,110] and [145,149] are 34 frames apart: pads of 17 touch, of 16 do not.
    rapidjson::Document touch = get_json(server, path + "?pad_frames=17&gap_frames=9");
    check_scenes(touch, uuid, {{0, 57, {1, 2, 4, 5}}, {83, 149, {3, 4, 5}}});
    rapidjson::Document apart = get_json(server, path + "?pad_frames=16&gap_frames=30");
    check_scenes(apart, uuid, {{0, 56, {1, 2, 4, 5}}, {84, 126, {3}}, {129, 149, {4, 5}}});
  }
  SUBCASE("the CLI prints the same JSON, or one line per scene") {
    std::string body = body_of(server, path + "?pad_frames=0&gap_frames=9");
    CommandResult json =
        run_cli({"scenes", uuid, "--identity", k_a, "--pad-frames", "0", "--gap-frames", "9", "--json"});
    REQUIRE(json.exit_code == 0);
    CHECK(std::string(trim(json.out)) == body);
    std::string out_path =
        std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/scenes-" + uuid + ".json";
    CommandResult file =
        run_cli({"scenes", uuid, "--identity", k_a, "--pad-frames", "0", "--gap-frames", "9", "-o", out_path});
    REQUIRE(file.exit_code == 0);
    std::ifstream in(out_path);
    std::stringstream written;
    written << in.rdbuf();
    CHECK(std::string(trim(written.str())) == body);
    std::remove(out_path.c_str());
    CommandResult text = run_cli({"scenes", uuid, "--identity", k_a, "--pad-frames", "0", "--gap-frames", "9"});
    REQUIRE(text.exit_code == 0);
    CHECK(std::count(text.out.begin(), text.out.end(), '\n') == 4);
    CHECK(text.out.find("frames 30-40") != std::string::npos);
    CHECK(run_cli({"scenes", uuid, "--identity", k_a, "--pad-frames", "-1"}).exit_code == 2);
    CHECK(run_cli({"scenes", uuid, "--identity", "11111111-2222-3333-4444-555555555555"}).exit_code == 5);
  }
}

TEST_CASE("scenes of two identities: the frames both are on, and never together is an empty list") {
  TestServer server;
  std::string uuid = imported_file(layout());
  std::string base = "/api/v1/file/" + uuid + "/identities/";
  rapidjson::Document split =
      get_json(server, base + k_a + "/co-occur-with/" + k_b + "/scenes?pad_frames=0&gap_frames=9");
  CHECK(std::string(split["with_identity_uuid"].GetString()) == k_b);
  check_scenes(split, uuid, {{15, 20, {1, 6}}, {30, 35, {2, 5, 6}}});
  rapidjson::Document joined =
      get_json(server, base + k_a + "/co-occur-with/" + k_b + "/scenes?pad_frames=0&gap_frames=10");
  check_scenes(joined, uuid, {{15, 35, {1, 2, 5, 6}}});
  rapidjson::Document never = get_json(server, base + k_b + "/co-occur-with/" + k_c + "/scenes");
  check_scenes(never, uuid, {});
  CHECK(never["duration_secs"].GetDouble() == 0.0);
  CommandResult cli =
      run_cli({"scenes", uuid, "--identity", k_a, "--with", k_b, "--pad-frames", "0", "--gap-frames", "9", "--json"});
  REQUIRE(cli.exit_code == 0);
  CHECK(std::string(trim(cli.out)) ==
        body_of(server, base + k_a + "/co-occur-with/" + k_b + "/scenes?pad_frames=0&gap_frames=9"));
}

TEST_CASE("scenes: unknown identities are 404, bad parameters and A = B are 400") {
  TestServer server;
  std::string uuid = imported_file(layout());
  std::string base = "/api/v1/file/" + uuid + "/identities/";
  std::string scenes = base + k_a + "/scenes";
  check_rejected(server, base + "11111111-2222-3333-4444-555555555555/scenes", 404, "identity_not_found");
  // Audrey has detections in the shared fixture's registration, none here.
  registered_fixture("noaudio.mp4");
  check_rejected(server, base + fixtures::Scene::audrey().uuid + "/scenes", 404, "identity_not_in_file");
  check_rejected(server, base + k_a + "/co-occur-with/11111111-2222-3333-4444-555555555555/scenes", 404,
                 "identity_not_found");
  check_rejected(server, base + "nope/scenes", 400, "bad_identity_uuid");
  check_rejected(server, base + k_a + "/co-occur-with/" + k_a + "/scenes", 400, "same_identity");
  check_rejected(server, scenes + "?pad_frames=-1", 400, "pad_frames");
  check_rejected(server, scenes + "?pad_frames=1000001", 400, "pad_frames");
  check_rejected(server, scenes + "?gap_frames=abc", 400, "gap_frames");
  check_rejected(server, scenes + "?gap_frames=2.5", 400, "gap_frames");
}

TEST_CASE("scenes follow a re-import: memoised frame runs are never stale") {
  TestServer server;
  std::string uuid = imported_file(layout());
  std::string path = "/api/v1/file/" + uuid + "/identities/" + k_a + "/scenes?pad_frames=0&gap_frames=9";
  for (int repeat = 0; repeat < 2; ++repeat) {  // the second answer comes from the memo
    CAPTURE(repeat);
    check_scenes(get_json(server, path), uuid,
                 {{2, 20, {1, 4, 5}}, {30, 40, {2, 5}}, {100, 110, {3}}, {145, 149, {4, 5}}});
  }
  REQUIRE(run_cli({"import", uuid, "-", "--replace"}, layout(60, 70)).exit_code == 0);
  check_scenes(get_json(server, path), uuid, {{2, 20, {1, 4, 5}}, {30, 40, {2, 5}}, {60, 70, {3}}, {145, 149, {4, 5}}});
}
