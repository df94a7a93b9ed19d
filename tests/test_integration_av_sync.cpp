// A/V sync on every stream that carries audio, judged by decoding what we
// send: the flashbeep fixture flashes white and starts a 1 kHz beep at the
// same instants (frames 11, 40, 68, 97, 127, none on a keyframe; x264 -bf 3
// and AAC, so B-frame delay and audio priming both need cancelling). Every
// flash's presentation time and its beep's onset, as libavformat presents
// them and as a player playing the audio back to back hears it, must be
// within 5 ms of each other.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "app/config.hpp"
#include "support/av_sync.hpp"
#include "support/media_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
const std::vector<int64_t> k_flash_frames = {11, 40, 68, 97, 127};
constexpr double k_tolerance_ms = 5.0;

size_t flashes_within(int64_t first, int64_t last) {
  size_t count = 0;
  for (int64_t frame : k_flash_frames) count += frame >= first && frame <= last ? 1 : 0;
  return count;
}

// Checks one stream: as many flashes and beeps as the span holds, each pair
// within the tolerance. Offsets are printed so a failure shows the figures.
void check_in_sync(const std::string& what, const std::string& bytes, size_t expected_flashes) {
  INFO(what);
  FlashBeepTimes times = measure_flashes_and_beeps(bytes);
  CHECK_MESSAGE(times.error.empty(), times.error);
  CHECK(times.flashes.size() == expected_flashes);
  CHECK(times.beeps.size() == expected_flashes);
  std::vector<double> by_timestamp = av_offsets_ms(times.flashes, times.beeps);
  std::vector<double> as_played = av_offsets_ms(times.flashes, times.beeps_played);
  std::string figures;
  for (size_t i = 0; i < by_timestamp.size(); ++i) {
    figures += " " + std::to_string(by_timestamp[i]) + "/" + std::to_string(as_played[i]);
  }
  MESSAGE(what << ": audio minus video (by timestamp/as played), ms:" << figures);
  for (size_t i = 0; i < by_timestamp.size(); ++i) {
    INFO("flash " << i << ": audio minus video " << by_timestamp[i] << " ms by timestamp, " << as_played[i]
                  << " ms played back to back");
    CHECK(std::abs(by_timestamp[i]) <= k_tolerance_ms);
    CHECK(std::abs(as_played[i]) <= k_tolerance_ms);
  }
}

struct HttpCase {
  std::string what;
  std::string path;  // after /api/v1/file/UUID
  int64_t last;      // last frame asked for (the first comes from X-First-Frame)
};
}  // namespace

TEST_CASE("av sync: every HTTP stream keeps each beep within 5 ms of its flash") {
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("flashbeep.mp4");
  const std::vector<HttpCase> cases = {
      {"/video/bbox, whole file", "/video/bbox", 149},
      {"/video/bbox, mid-file range", "/video/bbox?start_frame=35&end_frame=110", 110},
      {"/video?mode=debug", "/video?mode=debug&start_frame=0&end_frame=149", 149},
      {"/trace/2/video (frames 40-120) padded", "/trace/2/video?pad_frames=5", 125},
      {"stream copy from frame 0", "/video?start_frame=0&end_frame=80", 80},
      {"stream copy mid-file (from keyframe 30)", "/video?start_frame=45&end_frame=110", 110},
      {"stream copy of the whole file", "/video?start_frame=0&end_frame=149", 149},
      {"/clip (MPEG-TS)", "/clip?start_frame=5&end_frame=140", 140},
      {"/clip mid-file", "/clip?start_frame=50&end_frame=149", 149},
  };
  for (const HttpCase& c : cases) {
    auto res = client.Get(("/api/v1/file/" + uuid + c.path).c_str(), key_headers(all_files_key()));
    REQUIRE(res);
    INFO(c.what);
    REQUIRE(res->status == 200);
    int64_t first = std::stoll(res->get_header_value("X-First-Frame"));
    check_in_sync(c.what, res->body, flashes_within(first, c.last));
  }
}

TEST_CASE("av sync: the CLI twins' outputs keep each beep within 5 ms of its flash") {
  const std::string& uuid = registered_fixture("flashbeep.mp4");
  for (const std::string format : {"mp4", "ts"}) {
    CommandResult r =
        run_cli({"bbox-video", uuid, "--start-frame", "0", "--end-frame", "149", "--format", format, "-o", "-"});
    CHECK(r.exit_code == 0);
    check_in_sync("bbox-video --format " + format, r.out, flashes_within(0, 149));
  }
  CommandResult trace = run_cli({"bbox-video", uuid, "--trace", "2", "--format", "mp4", "-o", "-"});
  CHECK(trace.exit_code == 0);
  check_in_sync("bbox-video --trace 2", trace.out, flashes_within(40, 120));
  CommandResult clip = run_cli({"clip", uuid, "--start-frame", "20", "--end-frame", "130", "-o", "-"});
  CHECK(clip.exit_code == 0);
  check_in_sync("clip", clip.out, flashes_within(20, 130));
}

namespace {
// Audio packets of a joined stream, in presentation order: the largest gap
// or overlap between one packet's end and the next packet's start, in ms.
double worst_audio_join_ms(const std::string& bytes) {
  CommandResult r = run_command({ffprobe_path(), "-v", "error", "-select_streams", "a:0", "-show_entries",
                                 "packet=pts_time,duration_time", "-of", "csv=p=0", "pipe:0"},
                                bytes);
  std::vector<std::pair<double, double>> packets;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    auto comma = line.find(',');
    if (comma == std::string::npos) continue;
    packets.emplace_back(std::stod(line.substr(0, comma)), std::stod(line.substr(comma + 1)));
  }
  std::sort(packets.begin(), packets.end());
  double worst = packets.size() < 2 ? 1e9 : 0;
  for (size_t i = 1; i < packets.size(); ++i) {
    double step = packets[i].first - (packets[i - 1].first + packets[i - 1].second);
    worst = std::max(worst, std::abs(step) * 1000);
  }
  return worst;
}
}  // namespace

TEST_CASE("av sync: HLS segments joined keep each beep within 5 ms of its flash, audio continuous across joins") {
  // Segments of at most 1.5 s, so the 5 s fixture has joins between its flashes.
  app::ServerConfig config = TestServer::test_config();
  config.hls_segment_seconds = 1.5;
  TestServer server(config);
  auto client = server.client();
  const std::string& uuid = registered_fixture("flashbeep.mp4");
  for (const std::string& range :
       {std::string("start_frame=0&end_frame=149"), std::string("start_frame=7&end_frame=140")}) {
    for (const std::string& view : {std::string("/video/bbox"), std::string("/video")}) {
      std::string path = "/api/v1/file/" + uuid + view + "?format=hls&" + range;
      CAPTURE(path);
      auto playlist = client.Get(path.c_str(), key_headers(all_files_key()));
      REQUIRE(playlist);
      REQUIRE(playlist->status == 200);
      size_t segments = 0;
      for (size_t at = playlist->body.find("#EXTINF"); at != std::string::npos;
           at = playlist->body.find("#EXTINF", at + 1)) {
        ++segments;
      }
      REQUIRE(segments >= 4);
      std::string joined;
      // Rendered out of order: the last first.
      std::vector<std::string> bodies(segments);
      for (size_t i = segments; i-- > 0;) {
        auto res = client.Get((path + "&segment=" + std::to_string(i)).c_str(), key_headers(all_files_key()));
        REQUIRE(res);
        REQUIRE(res->status == 200);
        bodies[i] = res->body;
      }
      for (const auto& b : bodies) joined += b;
      int64_t first = std::stoll(playlist->get_header_value("X-First-Frame"));
      int64_t last = std::stoll(playlist->get_header_value("X-Last-Frame"));
      check_in_sync("HLS " + view + " " + range + " joined", joined, flashes_within(first, last));
      double worst = worst_audio_join_ms(joined);
      MESSAGE("HLS " << view << " " << range << ": worst audio gap/overlap between packets " << worst << " ms");
      CHECK(worst <= 5.0);
    }
  }
}
