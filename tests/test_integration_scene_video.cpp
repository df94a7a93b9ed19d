// The scene video of a person, and of two people together (issue 23 §2),
// over real HTTP: GET .../identities/:id/video and
// .../identities/:a/co-occur-with/:b/video as HLS. Every segment lies within
// one scene, the segments' durations add up to each scene's start_secs, the
// frames are the film's frames at the scenes' boundaries, ffmpeg plays the
// playlist end to end, and A/V stay in sync within every scene.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "support/av_sync.hpp"
#include "support/media_checks.hpp"
#include "support/request_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
const std::string k_a = "aaaaaaaa-5555-4000-8000-00000000000a";
const std::string k_b = "bbbbbbbb-6666-4000-8000-00000000000b";
constexpr int k_w = 320;
constexpr int k_h = 240;

std::string line(int frame, int trace, const std::string& identity, const char* name) {
  return R"({"frame_number":)" + std::to_string(frame) + R"(,"trace_id":)" + std::to_string(trace) +
         R"(,"bbox":{"x":10,"y":10,"width":40,"height":40},"confidence":0.9,"identity_uuid":")" + identity +
         R"(","identity_name":")" + name + "\"}\n";
}

// A: trace 1 on 10-20, trace 2 on 60-70, trace 3 on 100-110. B: trace 4 on 15-65.
std::string layout() {
  std::string jsonl;
  for (int f = 10; f <= 20; ++f) jsonl += line(f, 1, k_a, "A");
  for (int f = 60; f <= 70; ++f) jsonl += line(f, 2, k_a, "A");
  for (int f = 100; f <= 110; ++f) jsonl += line(f, 3, k_a, "A");
  for (int f = 15; f <= 65; ++f) jsonl += line(f, 4, k_b, "B");
  return jsonl;
}

std::string imported_file(const std::string& fixture, const std::string& jsonl) {
  std::string uuid = register_own_fixture(fixture);
  CommandResult imported = run_cli({"import", uuid, "-", "--replace"}, jsonl);
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  return uuid;
}

httplib::Result get(TestServer& server, const std::string& path) {
  auto client = server.client();
  return client.Get(path.c_str(), key_headers(all_files_key()));
}

struct SceneRow {
  int64_t start;
  int64_t end;
  double start_secs;
  double duration_secs;
};

std::vector<SceneRow> scenes_of(TestServer& server, const std::string& path) {
  auto res = get(server, path);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.HasMember("scenes"));
  std::vector<SceneRow> rows;
  for (const auto& s : doc["scenes"].GetArray()) {
    rows.push_back({s["start_frame"].GetInt64(), s["end_frame"].GetInt64(), s["start_secs"].GetDouble(),
                    s["duration_secs"].GetDouble()});
  }
  return rows;
}

std::vector<double> extinf_durations(const std::string& playlist) {
  std::vector<double> durations;
  std::istringstream lines(playlist);
  std::string text;
  while (std::getline(lines, text)) {
    if (text.rfind("#EXTINF:", 0) == 0) durations.push_back(std::stod(text.substr(8)));
  }
  return durations;
}
}  // namespace

TEST_CASE("scene video: one segment per short scene, durations at start_secs, the film's frames at every boundary") {
  TestServer server;
  std::string uuid = imported_file("noaudio.mp4", layout());
  const std::string base = "/api/v1/file/" + uuid + "/identities/" + k_a;
  const std::string params = "?pad_frames=0&gap_frames=9";
  std::vector<SceneRow> scenes = scenes_of(server, base + "/scenes" + params);
  REQUIRE(scenes.size() == 3);

  for (const std::string& mode : {std::string(""), std::string("&mode=debug")}) {
    CAPTURE(mode);
    auto playlist = get(server, base + "/video" + params + mode);
    REQUIRE(playlist);
    REQUIRE(playlist->status == 200);
    CHECK(playlist->get_header_value("Content-Type") == "application/vnd.apple.mpegurl");
    // Its frames depend on the detections: revalidated, never public.
    CHECK(playlist->get_header_value("Cache-Control") == "private, no-cache");
    CHECK(playlist->body.find("#EXT-X-DISCONTINUITY") == std::string::npos);
    std::vector<double> durations = extinf_durations(playlist->body);
    // Scenes of 11 frames: one segment each, starting where start_secs says.
    REQUIRE(durations.size() == scenes.size());
    double clock = 0;
    for (size_t i = 0; i < scenes.size(); ++i) {
      CAPTURE(i);
      CHECK(clock == doctest::Approx(scenes[i].start_secs).epsilon(1e-5));
      CHECK(durations[i] == doctest::Approx(scenes[i].duration_secs).epsilon(1e-5));
      clock += durations[i];
    }
    if (!mode.empty()) continue;
    // Each segment holds exactly its scene's frames: the first and last
    // are the film's frames the scenes JSON names.
    const std::string source = fixture_path("noaudio.mp4");
    for (size_t i = 0; i < scenes.size(); ++i) {
      CAPTURE(i);
      auto segment = get(server, base + "/video" + params + "&segment=" + std::to_string(i) + ".ts");
      REQUIRE(segment);
      REQUIRE(segment->status == 200);
      CHECK(segment->get_header_value("X-First-Frame") == std::to_string(scenes[i].start));
      CHECK(segment->get_header_value("X-Last-Frame") == std::to_string(scenes[i].end));
      std::vector<std::string> frames = decode_stream_frames(segment->body, k_w, k_h);
      REQUIRE(frames.size() == static_cast<size_t>(scenes[i].end - scenes[i].start + 1));
      std::string first = reference_frame_rgb(source, scenes[i].start);
      std::string last = reference_frame_rgb(source, scenes[i].end);
      CHECK(psnr(frames.front(), first) > 30);
      CHECK(psnr(frames.back(), last) > 30);
      // The neighbours outside the scene are not what it shows.
      if (scenes[i].start > 0) {
        CHECK(psnr(frames.front(), reference_frame_rgb(source, scenes[i].start - 1)) < psnr(frames.front(), first));
      }
    }
  }

  SUBCASE("ffmpeg's HLS client plays the playlist end to end: every frame of every scene, once") {
    std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + base + "/video" + params +
                      "&access_token=" + all_files_key();
    CommandResult r = run_command({ffmpeg_path(), "-v", "error", "-i", url, "-map", "0:v:0", "-vf", "scale=16:16",
                                   "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"});
    CAPTURE(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.size() == 33u * 16 * 16 * 3);
  }
  SUBCASE("two people: the scenes they share") {
    const std::string both = base + "/co-occur-with/" + k_b;
    std::vector<SceneRow> shared = scenes_of(server, both + "/scenes" + params);
    REQUIRE(shared.size() == 2);
    auto playlist = get(server, both + "/video" + params);
    REQUIRE(playlist);
    REQUIRE(playlist->status == 200);
    std::vector<double> durations = extinf_durations(playlist->body);
    REQUIRE(durations.size() == shared.size());
    CHECK(durations[0] == doctest::Approx(shared[0].duration_secs).epsilon(1e-5));
    CHECK(shared[1].start_secs == doctest::Approx(durations[0]).epsilon(1e-5));
  }
  SUBCASE("unknown identities are 404; bad parameters 400") {
    auto unknown = get(server, "/api/v1/file/" + uuid + "/identities/11111111-2222-4333-8444-555555555555/video");
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    auto bad_pad = get(server, base + "/video?pad_frames=-1");
    REQUIRE(bad_pad);
    CHECK(bad_pad->status == 400);
    auto bad_segment = get(server, base + "/video" + params + "&segment=3");
    REQUIRE(bad_segment);
    CHECK(bad_segment->status == 400);
  }
}

TEST_CASE("scene video: each scene's beeps within 5 ms of its flashes") {
  TestServer server;
  // flashbeep.mp4 flashes (and beeps) on frames 11, 40, 68, 97 and 127:
  // scenes 5-20 and 90-105 hold the flashes of frames 11 and 97.
  std::string jsonl;
  for (int f = 5; f <= 20; ++f) jsonl += line(f, 1, k_a, "A");
  for (int f = 90; f <= 105; ++f) jsonl += line(f, 2, k_a, "A");
  std::string uuid = imported_file("flashbeep.mp4", jsonl);
  const std::string path = "/api/v1/file/" + uuid + "/identities/" + k_a + "/video?pad_frames=0&gap_frames=9";
  auto playlist = get(server, path);
  REQUIRE(playlist);
  REQUIRE(playlist->status == 200);
  size_t segments = extinf_durations(playlist->body).size();
  REQUIRE(segments == 2);
  std::string joined;
  for (size_t i = 0; i < segments; ++i) {
    auto segment = get(server, path + "&segment=" + std::to_string(i));
    REQUIRE(segment);
    REQUIRE(segment->status == 200);
    joined += segment->body;
  }
  FlashBeepTimes times = measure_flashes_and_beeps(joined);
  REQUIRE_MESSAGE(times.error.empty(), times.error);
  REQUIRE(times.flashes.size() == 2);
  std::vector<double> offsets = av_offsets_ms(times.flashes, times.beeps);
  REQUIRE(offsets.size() == 2);
  for (double offset : offsets) {
    MESSAGE("scene video flash-to-beep: " << offset << " ms");
    CHECK(std::abs(offset) <= 5.0);
  }
}
