// Overlay streams judged by their pixels: on fixtures whose "faces" are
// squares drawn exactly where the detections say, the box drawn on output
// frame i must be source frame (first + i)'s box — not its neighbour's —
// on constant and variable frame rate files alike; labels are drawn as
// text, whatever the name holds.
#include <doctest/doctest.h>

#include <cmath>
#include <thread>

#include "db/detection_store.hpp"
#include "overlay/detection_feed.hpp"
#include "overlay/detection_painter.hpp"
#include "overlay/label_drawing.hpp"
#include "overlay/yuv_canvas.hpp"
#include "support/box_checks.hpp"
#include "support/media_checks.hpp"
#include "support/raw_http.hpp"
#include "support/request_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
constexpr int k_w = 320;
constexpr int k_h = 240;

// A decoded yuv444p frame.
struct Planes {
  const std::string& data;
  uint8_t y(int x, int row) const { return static_cast<uint8_t>(data[static_cast<size_t>(row) * k_w + x]); }
  uint8_t u(int x, int row) const { return static_cast<uint8_t>(data[k_w * k_h + static_cast<size_t>(row) * k_w + x]); }
  uint8_t v(int x, int row) const {
    return static_cast<uint8_t>(data[2 * k_w * k_h + static_cast<size_t>(row) * k_w + x]);
  }
};

double edge_match(const std::string& frame, const db::BoxDetection& d, overlay::YuvColor color) {
  return box_edge_match(frame, k_w, k_h, d, color);
}

std::vector<db::BoxDetection> detections_on(const std::string& uuid, int64_t frame) {
  auto rows = shared_app().detections().in_frames(uuid, frame, frame);
  REQUIRE(rows);
  return rows.value();
}

const db::BoxDetection* find_trace(const std::vector<db::BoxDetection>& list, int64_t trace) {
  for (const auto& d : list) {
    if (d.trace_id == trace) return &d;
  }
  return nullptr;
}

std::string get_body(TestServer& server, const std::string& path, httplib::Headers headers = {}) {
  auto client = server.client();
  headers.emplace("X-API-Key", all_files_key());
  auto res = client.Get(path.c_str(), headers);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return res->body;
}
}  // namespace

TEST_CASE("every box is drawn on exactly its own frame, in all three streams, on every fixture") {
  TestServer server;
  int judged = 0;
  struct Stream {
    const char* path;
    std::optional<int64_t> followed;  // the trace video highlights one trace
    int64_t first;                    // the source frame of output frame 0
  };
  const Stream streams[] = {{"/video/bbox?audio=off", std::nullopt, 0},
                            {"/video?mode=debug&audio=off", std::nullopt, 0},
                            {"/trace/2/video?audio=off", 2, 40}};
  for (const char* fixture : {"bframes.mp4", "bframes.mkv", "opengop.ts", "vp9.webm", "vfr.mp4", "noaudio.mp4"}) {
    const std::string& uuid = registered_fixture(fixture);
    for (const Stream& stream : streams) {
      std::string path = stream.path;
      CAPTURE(fixture);
      CAPTURE(path);
      std::string body = get_body(server, "/api/v1/file/" + uuid + path);
      std::vector<std::string> frames = decode_stream_frames(body, k_w, k_h, "yuv444p");
      REQUIRE(frames.size() == (stream.followed ? 81u : 150u));
      for (int64_t n = stream.first + 1; n < stream.first + static_cast<int64_t>(frames.size()) - 1; n += 4) {
        CAPTURE(n);
        const std::string& frame = frames[static_cast<size_t>(n - stream.first)];
        auto here = detections_on(uuid, n);
        auto before = detections_on(uuid, n - 1);
        auto after = detections_on(uuid, n + 1);
        for (const db::BoxDetection& d : here) {
          if (stream.followed && d.trace_id != *stream.followed) continue;
          CAPTURE(d.trace_id);
          overlay::YuvColor color = overlay::trace_color(d.trace_id);
          CHECK(edge_match(frame, d, color) > 0.85);
          for (const auto* neighbour : {find_trace(before, d.trace_id), find_trace(after, d.trace_id)}) {
            if (neighbour && std::abs(neighbour->x - d.x) >= 3) CHECK(edge_match(frame, *neighbour, color) < 0.6);
          }
          ++judged;
        }
      }
    }
  }
  MESSAGE(judged << " boxes judged");
  CHECK(judged > 800);
}

TEST_CASE("the trace video: its span by default, the trace highlighted, the others dimmed") {
  TestServer server;
  const std::string& uuid = registered_fixture("bframes.mp4");
  auto client = server.client();
  auto res = client.Get(("/api/v1/file/" + uuid + "/trace/5/video?audio=off").c_str(), key_headers(all_files_key()));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("X-First-Frame") == "20");
  CHECK(res->get_header_value("X-Last-Frame") == "90");
  std::vector<std::string> frames = decode_stream_frames(res->body, k_w, k_h, "yuv444p");
  REQUIRE(frames.size() == 71);
  int64_t n = 61;  // traces 2 (Cary), 3 and 5 are all on screen
  const std::string& frame = frames[static_cast<size_t>(n - 20)];
  auto here = detections_on(uuid, n);
  const db::BoxDetection* followed = find_trace(here, 5);
  const db::BoxDetection* other = find_trace(here, 3);
  REQUIRE(followed);
  REQUIRE(other);
  CHECK(edge_match(frame, *followed, overlay::trace_color(5)) > 0.85);
  CHECK(edge_match(frame, *other, overlay::trace_color(3)) < 0.2);
  // The dimmed outline is grey: one pixel at the box's left edge.
  Planes p{frame};
  int grey = 0;
  for (int row = other->y + 3; row < other->y + other->height - 3; ++row) {
    if (std::abs(p.u(other->x, row) - 128) < 20 && std::abs(p.v(other->x, row) - 128) < 20 &&
        std::abs(p.y(other->x, row) - 126) < 40) {
      ++grey;
    }
  }
  CHECK(grey > (other->height - 6) * 3 / 4);

  auto padded = client.Get(("/api/v1/file/" + uuid + "/trace/5/video?audio=off&pad_frames=10").c_str(),
                           key_headers(all_files_key()));
  REQUIRE(padded);
  CHECK(padded->get_header_value("X-First-Frame") == "10");
  CHECK(padded->get_header_value("X-Last-Frame") == "100");
  auto ranged = client.Get(("/api/v1/file/" + uuid + "/trace/5/video?audio=off&start_frame=30&end_frame=39").c_str(),
                           key_headers(all_files_key()));
  REQUIRE(ranged);
  CHECK(decode_stream_frames(ranged->body, k_w, k_h).size() == 10);
}

TEST_CASE("labels are drawn as text, whatever the names hold") {
  TestServer server;
  const std::string& uuid = registered_fixture("noaudio.mp4");
  std::string body = get_body(server, "/api/v1/file/" + uuid + "/video/bbox?audio=off&start_frame=60&end_frame=102");
  std::vector<std::string> frames = decode_stream_frames(body, k_w, k_h, "yuv444p");
  REQUIRE(frames.size() == 43);
  auto labels = shared_app().detections().trace_labels(uuid);
  REQUIRE(labels);
  // Trace 5 is O'Brien: "x", [y]; \z %{n}; trace 6 is Zoë Ünsal 张伟 (drawn
  // from Unifont: the last two characters are outside the 5x7 font).
  for (auto [trace, frame] : {std::pair<int64_t, int64_t>{5, 60}, std::pair<int64_t, int64_t>{6, 102}}) {
    CAPTURE(trace);
    auto on_frame = detections_on(uuid, frame);
    const db::BoxDetection* d = find_trace(on_frame, trace);
    REQUIRE(d);
    std::string text = overlay::detection_label(&labels->at(trace), trace, d->confidence);
    // Draw the expected label on a blank frame exactly as the painter does
    // and compare the ink, pixel by pixel.
    std::vector<uint8_t> expected(overlay::i420_frame_size(k_w, k_h), 0);
    overlay::YuvCanvas canvas(expected.data(), k_w, k_h);
    int scale = 1;
    int thickness = 2;
    overlay::draw_box_label(canvas, *d, thickness, text, scale, overlay::trace_color(trace));
    overlay::YuvColor background = overlay::trace_color(trace);
    Planes got{frames[static_cast<size_t>(frame - 60)]};
    int agree = 0;
    int total = 0;
    for (int row = 0; row < k_h; ++row) {
      for (int x = 0; x < k_w; ++x) {
        uint8_t want = expected[static_cast<size_t>(row) * k_w + x];
        if (want == 0) continue;  // not part of the label
        bool ink = want != background.y;
        bool got_ink = std::abs(got.y(x, row) - background.y) > 50;
        if (ink == got_ink) ++agree;
        ++total;
      }
    }
    CHECK(total > 300);
    CHECK(static_cast<double>(agree) / total > 0.85);
  }
}

TEST_CASE("overlay streams: fMP4 with audio, Range ignored, HEAD, errors, CLI twin") {
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("bframes.mp4");
  httplib::Headers headers = key_headers(all_files_key());
  httplib::Headers ranged = headers;
  ranged.emplace("Range", "bytes=0-10");
  auto res = client.Get(("/api/v1/file/" + uuid + "/video/bbox?start_frame=0&end_frame=59").c_str(), ranged);
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Accept-Ranges") == "none");
  CHECK(res->get_header_value("Content-Type") == "video/mp4");
  CHECK(res->body.find("moof") != std::string::npos);
  std::string counts = probe_stream_counts(res->body);
  CHECK(counts.find("video:60") != std::string::npos);
  CHECK(counts.find("audio:") != std::string::npos);

  auto debug =
      client.Get(("/api/v1/file/" + uuid + "/video?mode=debug&start_frame=0&end_frame=59&audio=off").c_str(), headers);
  REQUIRE(debug);
  CHECK(debug->status == 200);
  CHECK(probe_stream_counts(debug->body) == "video:60");

  auto head = client.Head(("/api/v1/file/" + uuid + "/video/bbox").c_str(), headers);
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(count_children("ffmpeg") == 0);

  const std::string base = "/api/v1/file/" + uuid;
  check_rejected(server, base + "/trace/999/video", 404, "trace_not_found");
  check_rejected(server, base + "/trace/abc/video", 400, "trace");
  check_rejected(server, base + "/video/bbox?pad_frames=-1", 400, "pad_frames");
  check_rejected(server, base + "/video/bbox?start_frame=5", 400, "end_frame");

  CommandResult cli = run_cli({"bbox-video", uuid, "--start-frame", "0", "--end-frame", "59", "-o", "-"});
  CHECK(cli.exit_code == 0);
  CHECK(probe_stream_counts(cli.out) == counts);
  CommandResult cli_trace = run_cli({"bbox-video", uuid, "--trace", "999", "-o", "-"});
  CHECK(cli_trace.exit_code == 5);
}

TEST_CASE("clip mode=debug draws CLIP and the source frame number") {
  TestServer server;
  const std::string& uuid = registered_fixture("vfr.mp4");
  std::string body = get_body(server, "/api/v1/file/" + uuid + "/clip?start_frame=70&end_frame=99&mode=debug");
  std::vector<std::string> frames = decode_stream_frames(body, k_w, k_h, "yuv444p");
  REQUIRE(frames.size() == 30);
  CHECK(probe_stream_counts(body).find("audio:") != std::string::npos);
  for (int64_t n : {70, 85, 99}) {
    CAPTURE(n);
    std::vector<uint8_t> expected(overlay::i420_frame_size(k_w, k_h), 0);
    overlay::YuvCanvas canvas(expected.data(), k_w, k_h);
    int scale = 2;
    int height = overlay::label_height("CLIP frame 99", scale);
    overlay::draw_label(canvas, 0, k_h - height, "CLIP frame " + std::to_string(n), scale,
                        overlay::YuvColor{16, 128, 128});
    Planes got{frames[static_cast<size_t>(n - 70)]};
    int agree = 0;
    int total = 0;
    for (int row = k_h - height; row < k_h; ++row) {
      for (int x = 0; x < overlay::label_width("CLIP frame 99", scale); ++x) {
        bool ink = expected[static_cast<size_t>(row) * k_w + x] == 235;
        if (ink == (got.y(x, row) > 128)) ++agree;
        ++total;
      }
    }
    CHECK(static_cast<double>(agree) / total > 0.9);
  }
}

TEST_CASE("a vanished overlay client takes both its ffmpeg children with it") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  for (int i = 0; i < 5; ++i) {
    RawConnection connection(server.port(), "/api/v1/file/" + uuid + "/video/bbox",
                             "X-API-Key: " + all_files_key() + "\r\n");
    REQUIRE(connection.read_at_least(2000, std::chrono::seconds(20)).rfind("HTTP/1.1 200", 0) == 0);
    CHECK(count_children("ffmpeg") == 2);
    connection.abort();
    // Both go with the client: unread, the whole file's overlay would keep
    // them blocked on their pipes until the 6 h stream deadline.
    CHECK(ffmpeg_children_gone());
  }
}

TEST_CASE("the detection feed reads windows of frames, never the whole file") {
  const std::string& uuid = registered_fixture("bframes.mp4");
  overlay::DetectionFeed feed(shared_app().detections(), uuid, 149, 16);
  size_t total = 0;
  for (int64_t n = 0; n < 150; ++n) {
    auto at = feed.at(n);
    REQUIRE(at);
    auto direct = detections_on(uuid, n);
    REQUIRE(at.value().size() == direct.size());
    for (size_t i = 0; i < direct.size(); ++i) CHECK(at.value()[i].trace_id == direct[i].trace_id);
    total += direct.size();
  }
  CHECK(total == 404);
  CHECK(feed.windows_read() == 10);
}
