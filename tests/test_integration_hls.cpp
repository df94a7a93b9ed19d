// format=hls: VOD playlists computed from the FrameIndex and segments
// rendered alone (any order) that join into exactly the range's frames,
// with overlays on their own frames across joins; ffmpeg's own HLS client
// plays a playlist URL alone; credentials and scope apply to segments.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/metrics.hpp"
#include "common/text.hpp"
#include "db/detection_store.hpp"
#include "overlay/detection_painter.hpp"
#include "overlay/label_drawing.hpp"
#include "overlay/yuv_canvas.hpp"
#include "support/box_checks.hpp"
#include "support/media_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
constexpr int k_w = 320;
constexpr int k_h = 240;

struct Playlist {
  std::vector<std::string> lines;
  std::vector<double> durations;
  std::vector<std::string> uris;
};

Playlist parse_playlist(const std::string& text) {
  Playlist p;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    p.lines.push_back(line);
    if (line.rfind("#EXTINF:", 0) == 0)
      p.durations.push_back(std::stod(line.substr(8)));
    else if (!line.empty() && line[0] != '#')
      p.uris.push_back(line);
  }
  return p;
}

bool has_line(const Playlist& p, const std::string& prefix) {
  for (const auto& l : p.lines) {
    if (l.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

httplib::Result get(TestServer& server, const std::string& path, httplib::Headers headers = {}) {
  auto client = server.client();
  return client.Get(path.c_str(), headers);
}

double edge_match(const std::string& frame, const db::BoxDetection& d, overlay::YuvColor color) {
  return box_edge_match(frame, k_w, k_h, d, color);
}

// The first video packet of an MPEG-TS segment: its flags (K = keyframe).
std::string first_video_packet_flags(const std::string& ts) {
  CommandResult r = run_command({ffprobe_path(), "-v", "error", "-select_streams", "v:0", "-show_entries",
                                 "packet=flags", "-read_intervals", "%+#1", "-of", "csv=p=0", "pipe:0"},
                                ts);
  return std::string(trim(r.out));
}
}  // namespace

TEST_CASE("hls playlist: VOD, segments of at most 6 s adding up to the range, URLs repeating the query") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  // 25 fps: frames 100..449 are 14 s, so segments of 6, 6 and 2 s.
  std::string query = "format=hls&start_frame=100&end_frame=449&audio=off&access_token=" + all_files_key();
  auto res = get(server, "/api/v1/file/" + uuid + "/video/bbox?" + query);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/vnd.apple.mpegurl");
  Playlist p = parse_playlist(res->body);
  REQUIRE(!p.lines.empty());
  CHECK(p.lines.front() == "#EXTM3U");
  CHECK(has_line(p, "#EXT-X-VERSION:"));
  CHECK(has_line(p, "#EXT-X-TARGETDURATION:6"));
  CHECK(has_line(p, "#EXT-X-PLAYLIST-TYPE:VOD"));
  CHECK(!has_line(p, "#EXT-X-DISCONTINUITY"));
  CHECK(p.lines.back() == "#EXT-X-ENDLIST");
  REQUIRE(p.durations.size() == 3);
  REQUIRE(p.uris.size() == 3);
  double sum = 0;
  for (double d : p.durations) {
    CHECK(d <= 6.0);
    sum += d;
  }
  CHECK(std::abs(sum - 14.0) < 1e-6);
  // The view's revision (registration and detections) comes before the
  // segment number, the same for every segment.
  const std::string prefix = "bbox?" + query + "&rev=";
  REQUIRE(p.uris[0].rfind(prefix, 0) == 0);
  std::string rev = p.uris[0].substr(prefix.size(), p.uris[0].find('&', prefix.size()) - prefix.size());
  CHECK(!rev.empty());
  for (size_t i = 0; i < p.uris.size(); ++i) {
    CHECK(p.uris[i] == prefix + rev + "&segment=" + std::to_string(i) + ".ts");
  }

  // Variable frame rate: cut by the frames' own timestamps, still adding up.
  const std::string& vfr = registered_fixture("vfr.mp4");
  auto vfr_res = get(server, "/api/v1/file/" + vfr + "/video?format=hls&access_token=" + all_files_key());
  REQUIRE(vfr_res);
  REQUIRE(vfr_res->status == 200);
  Playlist vp = parse_playlist(vfr_res->body);
  CHECK(!vp.durations.empty());
  for (double d : vp.durations) CHECK(d <= 6.0);
}

TEST_CASE("hls segments rendered out of order join into every frame once, boxes on their own frames") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  httplib::Headers key = key_headers(all_files_key());
  const int64_t first = 100;
  const int64_t last = 449;
  std::string base = "/api/v1/file/" + uuid + "/video/bbox?format=hls&start_frame=100&end_frame=449";
  std::vector<std::string> segments(3);
  for (int i : {2, 0, 1}) {
    CAPTURE(i);
    auto res = get(server, base + "&segment=" + std::to_string(i), key);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "video/mp2t");
    CHECK(first_video_packet_flags(res->body).rfind("K", 0) == 0);
    segments[static_cast<size_t>(i)] = res->body;
  }
  CHECK(probe_stream_counts(segments[0]).find("audio:") != std::string::npos);
  std::string joined = segments[0] + segments[1] + segments[2];
  std::vector<std::string> frames = decode_stream_frames(joined, k_w, k_h, "yuv444p");
  REQUIRE(static_cast<int64_t>(frames.size()) == last - first + 1);
  int judged = 0;
  // Every frame around the joins (150 and 300 frames in), and a sample elsewhere.
  for (int64_t n = first + 1; n < last; ++n) {
    int64_t at = n - first;
    bool near_join = (at >= 147 && at <= 152) || (at >= 297 && at <= 302);
    if (!near_join && at % 7 != 0) continue;
    CAPTURE(n);
    auto here = shared_app().detections().in_frames(uuid, n, n);
    REQUIRE(here);
    for (const db::BoxDetection& d : here.value()) {
      CAPTURE(d.trace_id);
      CHECK(edge_match(frames[static_cast<size_t>(at)], d, overlay::trace_color(d.trace_id)) > 0.85);
      ++judged;
    }
  }
  MESSAGE(judged << " boxes judged");
  CHECK(judged > 50);

  // The plain view: every frame is the source's frame (PSNR against the
  // reference decode), across the joins too.
  std::string plain = "/api/v1/file/" + uuid + "/video?format=hls&start_frame=100&end_frame=449&audio=off";
  std::string plain_joined;
  for (int i = 0; i < 3; ++i) {
    auto res = get(server, plain + "&segment=" + std::to_string(i), key);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    plain_joined += res->body;
  }
  std::vector<std::string> plain_frames = decode_stream_frames(plain_joined, k_w, k_h);
  REQUIRE(static_cast<int64_t>(plain_frames.size()) == last - first + 1);
  std::string source = fixture_path("long.mp4");
  for (int64_t at : {0, 149, 150, 299, 300, 349}) {
    CAPTURE(at);
    std::string want = reference_frame_rgb(source, first + at);
    double here = psnr(plain_frames[static_cast<size_t>(at)], want);
    CHECK(here > 30);
    for (int64_t other : {at - 1, at + 1}) {
      if (other < 0 || other > last - first) continue;
      CHECK(psnr(plain_frames[static_cast<size_t>(other)], want) < here);
    }
  }
}

TEST_CASE("ffmpeg's HLS client plays a playlist URL alone: every frame of the range, once") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/api/v1/file/" + uuid +
                    "/video?mode=debug&format=hls&end_frame=449&start_frame=200&access_token=" + all_files_key();
  CommandResult r = run_command({ffmpeg_path(), "-v", "error", "-i", url, "-map", "0:v:0", "-vf", "scale=16:16",
                                 "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"});
  CAPTURE(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.size() == 250u * 16 * 16 * 3);
}

TEST_CASE("hls: credentials, scope and bad parameters") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  const std::string& other = registered_fixture("noaudio.mp4");
  std::string base = "/api/v1/file/" + uuid + "/video/bbox?format=hls&end_frame=449&start_frame=100";
  httplib::Headers key = key_headers(all_files_key());

  auto anonymous = get(server, base + "&segment=0");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);

  CommandResult created = run_cli({"key", "create", "--name", "hls-scope", "--file", other});
  REQUIRE(created.exit_code == 0);
  auto outside = get(server, base + "&segment=0", key_headers(std::string(trim(created.out))));
  REQUIRE(outside);
  CHECK(outside->status == 403);

  auto bad_format = get(server, "/api/v1/file/" + uuid + "/video?format=webm", key);
  REQUIRE(bad_format);
  CHECK(bad_format->status == 400);
  CHECK(bad_format->body.find("mp4, hls") != std::string::npos);
  auto bad_segment = get(server, base + "&segment=3", key);
  REQUIRE(bad_segment);
  CHECK(bad_segment->status == 400);
  CHECK(bad_segment->body.find("segment") != std::string::npos);
  auto without_hls = get(server, "/api/v1/file/" + uuid + "/video/bbox?segment=0", key);
  REQUIRE(without_hls);
  CHECK(without_hls->status == 400);
  auto trace_bad = get(server, "/api/v1/file/" + uuid + "/trace/2/video?format=mp3", key);
  REQUIRE(trace_bad);
  CHECK(trace_bad->status == 400);
}

TEST_CASE("frameserve hls writes a playlist and segments that play from the directory") {
  const std::string& uuid = registered_fixture("long.mp4");
  std::string dir = repo_root() + "/build/test-hls-cli";
  std::filesystem::remove_all(dir);
  CommandResult r =
      run_cli({"hls", uuid, "--view", "bbox", "--start-frame", "100", "--end-frame", "449", "--no-audio", "-o", dir});
  CAPTURE(r.err);
  REQUIRE(r.exit_code == 0);
  std::ifstream in(dir + "/index.m3u8");
  std::stringstream text;
  text << in.rdbuf();
  Playlist p = parse_playlist(text.str());
  REQUIRE(p.uris.size() == 3);
  CHECK(p.uris[0] == "segment_00000.ts");
  CHECK(p.lines.back() == "#EXT-X-ENDLIST");
  CommandResult played =
      run_command({ffmpeg_path(), "-v", "error", "-i", dir + "/index.m3u8", "-map", "0:v:0", "-vf", "scale=16:16",
                   "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"});
  CAPTURE(played.err);
  REQUIRE(played.exit_code == 0);
  CHECK(played.out.size() == 350u * 16 * 16 * 3);

  CommandResult bad = run_cli({"hls", uuid, "--view", "boxes", "-o", dir});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("video, debug, bbox, trace:ID") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("hls segment cache: a second request is served from disk, concurrent requests render once") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  httplib::Headers key = key_headers(all_files_key());
  auto& metrics = metrics::get();
  auto hits = [&] { return metrics.segment_cache_hits.Add({}).Value(); };
  auto misses = [&] { return metrics.segment_cache_misses.Add({}).Value(); };

  // Two clients at once for one segment nobody has asked for yet.
  std::string path = "/api/v1/file/" + uuid + "/video/bbox?format=hls&start_frame=500&end_frame=700&segment=1";
  double hits_before = hits();
  double misses_before = misses();
  std::string bodies[2];
  int statuses[2] = {0, 0};
  std::thread other([&] {
    auto res = get(server, path, key);
    if (res) {
      statuses[1] = res->status;
      bodies[1] = res->body;
    }
  });
  auto first = get(server, path, key);
  other.join();
  REQUIRE(first);
  statuses[0] = first->status;
  bodies[0] = first->body;
  CHECK(statuses[0] == 200);
  CHECK(statuses[1] == 200);
  CHECK(misses() - misses_before == 1);
  CHECK(hits() - hits_before == 1);
  CHECK(bodies[0] == bodies[1]);
  REQUIRE(!bodies[0].empty());

  // Again: from the cache, with the file semantics (ETag, 304).
  auto again = get(server, path, key);
  REQUIRE(again);
  REQUIRE(again->status == 200);
  CHECK(again->body == bodies[0]);
  CHECK(hits() - hits_before == 2);
  std::string etag = again->get_header_value("ETag");
  REQUIRE(!etag.empty());
  httplib::Headers conditional = key;
  conditional.emplace("If-None-Match", etag);
  auto not_modified = get(server, path, conditional);
  REQUIRE(not_modified);
  CHECK(not_modified->status == 304);
  CHECK(metrics.segment_cache_bytes.Add({}).Value() > 0);

  // Another picture (audio off) is another entry.
  auto other_params = get(server, path + "&audio=off", key);
  REQUIRE(other_params);
  CHECK(other_params->status == 200);
  CHECK(misses() - misses_before == 2);
}

TEST_CASE("hls segment cache: re-imported detections are drawn, never the cached picture") {
  TestServer server;
  // A registration of its own: its detections are replaced below.
  std::string uuid = register_own_fixture("long.mp4");
  char dir[] = "/tmp/frameserve-hls-reimport-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string jsonl = std::string(dir) + "/boxes.jsonl";
  // One trace on frames 500-560, its box at `x`.
  auto import_box_at = [&](int x, bool replace) {
    {
      std::ofstream out(jsonl);
      for (int frame = 500; frame <= 560; ++frame) {
        out << "{\"frame_number\":" << frame << ",\"trace_id\":1,\"bbox\":{\"x\":" << x
            << ",\"y\":60,\"width\":80,\"height\":80},\"confidence\":0.9}\n";
      }
    }
    std::vector<std::string> args = {"import", uuid, jsonl};
    if (replace) args.push_back("--replace");
    return run_cli(args);
  };
  REQUIRE(import_box_at(20, false).exit_code == 0);

  httplib::Headers key = key_headers(all_files_key());
  auto& metrics = metrics::get();
  auto misses = [&] { return metrics.segment_cache_misses.Add({}).Value(); };
  const std::string path = "/api/v1/file/" + uuid + "/video/bbox?format=hls&start_frame=500&end_frame=560&segment=0";
  auto before = get(server, path, key);
  REQUIRE(before);
  REQUIRE(before->status == 200);
  auto cached = get(server, path, key);
  REQUIRE(cached);
  REQUIRE(cached->status == 200);
  CHECK(cached->body == before->body);

  // The same URL after a re-import: rendered again, with the new box.
  REQUIRE(import_box_at(200, true).exit_code == 0);
  double misses_before = misses();
  auto after = get(server, path, key);
  REQUIRE(after);
  REQUIRE(after->status == 200);
  CHECK(misses() - misses_before == 1);
  CHECK(after->body != before->body);
  std::filesystem::remove_all(dir);
}
