// GET .../clip: frame-exact MPEG-TS clips streamed while ffmpeg encodes.
#include <doctest/doctest.h>

#include "common/text.hpp"
#include "support/media_checks.hpp"
#include "support/request_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
// The clip's frames judged against the source: the first must be closest to
// `first`, the last to `last`.
void check_clip_frames(const std::string& fixture, const std::string& clip, int64_t first, int64_t last) {
  std::vector<std::string> frames = decode_stream_frames(clip, 320, 240);
  REQUIRE(static_cast<int64_t>(frames.size()) == last - first + 1);
  std::string source = fixture_path(fixture);
  auto best_match = [&](const std::string& frame, int64_t around) {
    int64_t best = -1;
    double best_psnr = 0;
    for (int64_t n = std::max<int64_t>(0, around - 2); n <= std::min<int64_t>(149, around + 2); ++n) {
      double p = psnr(frame, reference_frame_rgb(source, n));
      if (p > best_psnr) {
        best_psnr = p;
        best = n;
      }
    }
    return best;
  };
  CHECK(best_match(frames.front(), first) == first);
  CHECK(best_match(frames.back(), last) == last);
}
}  // namespace

TEST_CASE("clips hold exactly the requested frames, starting at start_frame") {
  TestServer server;
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  struct Case {
    const char* fixture;
    int64_t first;
    int64_t last;
  };
  const Case cases[] = {{"bframes.mp4", 31, 88},
                        {"opengop.ts", 46, 73},
                        {"vp9.webm", 29, 61},
                        {"vfr.mp4", 74, 120},
                        {"noaudio.mp4", 0, 23},
                        {"bframes.mkv", 120, 149},
                        // An edit list hiding the lead-in; MPEG-TS timestamps
                        // wrapping at frame 75 (from 2^33 - 1 back to 0).
                        {"editlist.mp4", 0, 30},
                        {"wrap.ts", 60, 90},
                        // Files numbered by a decode pass (no usable
                        // timestamps): frames found by packet position.
                        {"dvd.vob", 13, 50},
                        {"xvid.avi", 11, 40},
                        {"nopts.avi", 31, 88},
                        {"raw.h264", 26, 70},
                        {"camera.mp4", 20, 60}};
  for (const Case& c : cases) {
    CAPTURE(c.fixture);
    const std::string& uuid = registered_fixture(c.fixture);
    auto res = client.Get(("/api/v1/file/" + uuid + "/clip?start_frame=" + std::to_string(c.first) +
                           "&end_frame=" + std::to_string(c.last))
                              .c_str(),
                          headers);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "video/mp2t");
    CHECK(res->get_header_value("Cache-Control") == "public, max-age=86400");
    check_clip_frames(c.fixture, res->body, c.first, c.last);
  }
}

TEST_CASE("clip audio, time ranges and the CLI twin") {
  TestServer server;
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  const std::string& uuid = registered_fixture("bframes.mp4");
  std::string base = "/api/v1/file/" + uuid + "/clip?";

  auto with_audio = client.Get((base + "start_frame=10&end_frame=40").c_str(), headers);
  REQUIRE(with_audio);
  CHECK(probe_stream_counts(with_audio->body).find("audio:") != std::string::npos);
  auto without = client.Get((base + "start_frame=10&end_frame=40&audio=off").c_str(), headers);
  REQUIRE(without);
  CHECK(probe_stream_counts(without->body) == "video:31");

  // 29.97 fps: frame 30 is the first shown at or after 1 s, frame 59 the last before 2 s.
  auto timed = client.Get((base + "start_time=1&end_time=2&audio=off").c_str(), headers);
  REQUIRE(timed);
  REQUIRE(timed->status == 200);
  CHECK(timed->get_header_value("X-First-Frame") == "30");
  CHECK(timed->get_header_value("X-Last-Frame") == "59");
  CHECK(probe_stream_counts(timed->body) == "video:30");
  auto fps = client.Get((base + "start_time=1&end_time=2&fps=10&audio=off").c_str(), headers);
  REQUIRE(fps);
  CHECK(fps->get_header_value("X-First-Frame") == "10");
  CHECK(fps->get_header_value("X-Last-Frame") == "19");

  CommandResult cli = run_cli({"clip", uuid, "--start-frame", "10", "--end-frame", "40", "--audio", "off", "-o", "-"});
  CHECK(cli.exit_code == 0);
  CHECK(probe_stream_counts(cli.out) == "video:31");
}

TEST_CASE("clip: Range headers are ignored, HEAD starts nothing") {
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("noaudio.mp4");
  httplib::Headers headers = key_headers(all_files_key());
  headers.emplace("Range", "bytes=0-99");
  auto res = client.Get(("/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=9").c_str(), headers);
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Accept-Ranges") == "none");
  CHECK_FALSE(res->has_header("Content-Range"));
  CHECK(res->body.size() > 100);
  auto head = client.Head(("/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=9").c_str(), headers);
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->get_header_value("Content-Type") == "video/mp2t");
  CHECK(count_children("ffmpeg") == 0);
}

TEST_CASE("clip: the first bytes leave while ffmpeg is still encoding") {
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("long.mp4");
  bool child_alive_at_first_chunk = false;
  bool first = true;
  size_t total = 0;
  auto res = client.Get(("/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=999").c_str(),
                        key_headers(all_files_key()), [&](const char*, size_t length) {
                          if (first) child_alive_at_first_chunk = count_children("ffmpeg") == 1;
                          first = false;
                          total += length;
                          return true;
                        });
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Transfer-Encoding") == "chunked");
  CHECK(child_alive_at_first_chunk);
  CHECK(total > 100000);
}

TEST_CASE("clip parameters: missing, mixed, reversed, negative and out-of-range are 400") {
  TestServer server;
  const std::string& uuid = registered_fixture("bframes.mp4");
  struct Case {
    const char* query;
    const char* code;
  };
  const Case cases[] = {
      {"", "range_required"},
      {"start_frame=1", "range_required"},
      {"end_frame=1", "range_required"},
      {"start_time=1", "range_required"},
      {"start_frame=1&end_frame=5&start_time=1&end_time=2", "mixed_range"},
      {"start_frame=1&end_time=2", "mixed_range"},
      {"start_frame=10&end_frame=5", "range_reversed"},
      {"start_time=3&end_time=2", "range_reversed"},
      {"start_frame=-1&end_frame=5", "invalid_parameter"},
      {"start_frame=10&end_frame=150", "range_out_of_bounds"},
      {"start_time=100&end_time=200", "range_out_of_bounds"},
      {"start_frame=1&end_frame=5&audio=maybe", "invalid_parameter"},
      {"start_frame=1&end_frame=5&mode=fancy", "invalid_parameter"},
      {"start_frame=x&end_frame=5", "invalid_parameter"},
  };
  for (const Case& c : cases) {
    check_rejected(server, "/api/v1/file/" + uuid + "/clip?" + c.query, 400,
                   std::string("\"code\":\"") + c.code + "\"");
  }
}
