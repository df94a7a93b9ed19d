// One numbering everywhere, on the files a decode pass numbers (DVD and
// program streams, XviD AVI with B-frames, raw elementary streams, camera
// MP4 without composition offsets, real XviD with packed B-frames): what
// the thumbnail tests prove for single frames holds for the streams too.
// HLS, played by ffmpeg's own HLS client from the playlist URL, holds every
// frame of the file once and in order; overlays draw each box on its own
// frame; a stream copy's range starts at the keyframe it names.
#include <doctest/doctest.h>

#include "overlay/label_drawing.hpp"
#include "support/box_checks.hpp"
#include "support/media_checks.hpp"
#include "support/request_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
// Small frames are enough to tell neighbours apart: the fixtures' squares
// move every frame, and the real clips are camera footage.
constexpr int k_small_w = 64;
constexpr int k_small_h = 48;

std::vector<std::string> reference_frames_small(const std::string& source) {
  return decode_source_frames(source, k_small_w, k_small_h);
}
}  // namespace

TEST_CASE("HLS of a file numbered by a decode pass: every frame once, in order, as ffmpeg's HLS client plays it") {
  TestServer server;
  for (std::string fixture : {"dvd.vob", "xvid.avi", "raw.h264", "camera.mp4", "raw.m2v", "packed_bframes.avi"}) {
    CAPTURE(fixture);
    const std::string& uuid = registered_fixture(fixture);
    auto file = shared_app().catalog().resolve(uuid);
    REQUIRE(file);
    CHECK(file->media->index->indexing() == media::Indexing::decode_order);
    std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/api/v1/file/" + uuid +
                      "/video?format=hls&audio=off&access_token=" + all_files_key();
    std::vector<std::string> played = decode_source_frames(url, k_small_w, k_small_h);
    std::vector<std::string> reference = reference_frames_small(fixture_path(fixture));
    REQUIRE(static_cast<int64_t>(reference.size()) == file->media->index->frame_count());
    REQUIRE(played.size() == reference.size());
    // Each played frame is nearer to its own source frame than to either
    // neighbour (where the neighbours differ from it at all).
    int misplaced = 0;
    for (size_t n = 0; n < played.size(); ++n) {
      double own = psnr(played[n], reference[n]);
      for (size_t other : {n - 1, n + 1}) {
        // n - 1 wraps around at n == 0 and is then out of range too.
        if (other >= reference.size() || reference[other] == reference[n]) continue;
        // Re-encoding noise can make two nearly identical neighbours swap
        // by a fraction of a dB; a frame out of place differs by far more.
        if (psnr(played[n], reference[other]) > own + 1.0) {
          ++misplaced;
          MESSAGE("frame " << n << " looks more like frame " << other << " (" << psnr(played[n], reference[other])
                           << " dB against " << own << " dB)");
        }
      }
    }
    CHECK(misplaced == 0);
  }
}

TEST_CASE("overlays on files numbered by a decode pass: every box on its own frame") {
  TestServer server;
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  int judged = 0;
  for (std::string fixture : {"dvd.vob", "program.mpg", "xvid.avi"}) {
    CAPTURE(fixture);
    const std::string& uuid = registered_fixture(fixture);
    auto file = shared_app().catalog().resolve(uuid);
    REQUIRE(file);
    auto res = client.Get(("/api/v1/file/" + uuid + "/video/bbox?audio=off").c_str(), headers);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    std::vector<std::string> frames = decode_stream_frames(res->body, 320, 240, "yuv444p");
    REQUIRE(static_cast<int64_t>(frames.size()) == file->media->index->frame_count());
    for (int64_t n = 1; n + 1 < static_cast<int64_t>(frames.size()); n += 3) {
      CAPTURE(n);
      auto here = shared_app().detections().in_frames(uuid, n, n);
      auto before = shared_app().detections().in_frames(uuid, n - 1, n - 1);
      REQUIRE(here);
      REQUIRE(before);
      for (const db::BoxDetection& d : here.value()) {
        CAPTURE(d.trace_id);
        overlay::YuvColor color = overlay::trace_color(d.trace_id);
        CHECK(box_edge_match(frames[static_cast<size_t>(n)], 320, 240, d, color) > 0.85);
        for (const db::BoxDetection& b : before.value()) {
          if (b.trace_id == d.trace_id && std::abs(b.x - d.x) >= 3) {
            CHECK(box_edge_match(frames[static_cast<size_t>(n)], 320, 240, b, color) < 0.6);
          }
        }
        ++judged;
      }
    }
  }
  MESSAGE(judged << " boxes judged");
  CHECK(judged > 100);
}

TEST_CASE("a stream copy of a range of a decode-pass file starts at the keyframe it names") {
  TestServer server;
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  for (std::string fixture : {"dvd.vob", "xvid.avi", "packed_bframes.avi"}) {
    CAPTURE(fixture);
    const std::string& uuid = registered_fixture(fixture);
    auto res = client.Get(("/api/v1/file/" + uuid + "/video?start_frame=30&end_frame=60&audio=off").c_str(), headers);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    int64_t first = std::stoll(res->get_header_value("X-First-Frame"));
    int64_t last = std::stoll(res->get_header_value("X-Last-Frame"));
    CHECK(first <= 30);
    CHECK(last == 60);
    std::vector<std::string> frames = decode_stream_frames(res->body, k_small_w, k_small_h);
    std::vector<std::string> reference = reference_frames_small(fixture_path(fixture));
    REQUIRE(static_cast<int64_t>(reference.size()) > last);
    // The copy holds at least the asked frames, its first the named keyframe.
    REQUIRE(static_cast<int64_t>(frames.size()) >= last - first + 1);
    CAPTURE(first);
    CAPTURE(frames.size());
    CHECK(psnr(frames[0], reference[static_cast<size_t>(first)]) > 30);
    CHECK(psnr(frames[static_cast<size_t>(30 - first)], reference[30]) > 30);
  }
}
