// Trace previews (GET .../trace/:trace_id/preview and `frameserve preview`)
// over real HTTP: animated WebP by default and GIF on request, frames of the
// trace's window at the asked rate and width, the face box drawn where the
// detection is, private caching with a detections-revision ETag, 304, 404
// and 400.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "scene.hpp"
#include "support/media_checks.hpp"
#include "support/request_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"
#include "support/webp_checks.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
httplib::Result fetch(TestServer& server, const std::string& path, const std::string& if_none_match = "") {
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  if (!if_none_match.empty()) headers.emplace("If-None-Match", if_none_match);
  return client.Get(path.c_str(), headers);
}

// The first and last film frame of a preview (its X-Preview-Frames header).
std::pair<int64_t, int64_t> preview_frames(const httplib::Response& res) {
  std::string text = res.get_header_value("X-Preview-Frames");
  size_t dash = text.find('-');
  REQUIRE(dash != std::string::npos);
  return {std::stoll(text.substr(0, dash)), std::stoll(text.substr(dash + 1))};
}

// ffmpeg 5.1's GIF demuxer cannot read from a pipe (it seeks): GIFs are
// judged from a file under build/.
std::string gif_file(const std::string& gif) {
  std::filesystem::create_directories(repo_root() + "/build/test-previews");
  std::string path = repo_root() + "/build/test-previews/preview-" + std::to_string(::getpid()) + ".gif";
  std::ofstream(path, std::ios::binary) << gif;
  return path;
}

int gif_frame_count(const std::string& path, int* width, int* height) {
  CommandResult r = run_command({ffprobe_path(), "-v", "error", "-count_frames", "-show_entries",
                                 "stream=nb_read_frames,width,height", "-of", "default=nw=1", path});
  int frames = -1;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("width=", 0) == 0) *width = std::stoi(line.substr(6));
    if (line.rfind("height=", 0) == 0) *height = std::stoi(line.substr(7));
    if (line.rfind("nb_read_frames=", 0) == 0) frames = std::stoi(line.substr(15));
  }
  return frames;
}

bool is_box_yellow(const std::string& rgb, int width, int x, int y) {
  size_t at = (static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 3;
  auto r = static_cast<uint8_t>(rgb[at]);
  auto g = static_cast<uint8_t>(rgb[at + 1]);
  auto b = static_cast<uint8_t>(rgb[at + 2]);
  return r > 190 && g > 160 && b < 90;
}
}  // namespace

TEST_CASE("trace preview: an animated WebP of 3 s of the trace at 10 fps, 320 wide, private with an ETag") {
  TestServer server;
  // long.mp4: 25 fps, 1500 frames; trace 2 spans frames 400..1200 (32 s).
  const std::string& uuid = registered_fixture("long.mp4");
  const std::string path = "/api/v1/file/" + uuid + "/trace/2/preview";
  auto res = fetch(server, path);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "image/webp");
  CHECK(res->get_header_value("Cache-Control") == "private, max-age=60");
  CHECK(res->body.compare(0, 4, "RIFF") == 0);
  CHECK(res->body.compare(8, 4, "WEBP") == 0);
  WebpAnimation webp = parse_webp_animation(res->body);
  REQUIRE(webp.valid);
  CHECK(webp.animated);
  CHECK(webp.canvas_width == 320);
  CHECK(webp.canvas_height == 240);
  CHECK(webp.loop_count == 0);
  // 3 s at 10 fps: 30 frames of 100 ms.
  CHECK(webp.durations_ms.size() == 30u);
  int total_ms = 0;
  for (int d : webp.durations_ms) total_ms += d;
  CHECK(std::abs(total_ms - 3000) <= 100);
  // The window lies within the trace and is centred on its representative face.
  auto [first, last] = preview_frames(res.value());
  CHECK(first >= 400);
  CHECK(last <= 1200);
  CHECK(last - first + 1 == 75);  // 3 s of 25 fps frames
  auto face = fetch(server, "/api/v1/file/" + uuid + "/trace/2/representative-face");
  REQUIRE(face);
  REQUIRE(face->status == 200);
  const std::string marker = "\"frame_number\":";
  size_t at = face->body.find(marker);
  REQUIRE(at != std::string::npos);
  int64_t centre = std::stoll(face->body.substr(at + marker.size()));
  CHECK(std::abs((first + last) / 2 - centre) <= 1);

  // Cached: the same bytes from the disk cache, 304 for its ETag.
  const std::string etag = res->get_header_value("ETag");
  REQUIRE(!etag.empty());
  CHECK(res->get_header_value("X-Preview-Cache") == "miss");
  auto again = fetch(server, path);
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(again->get_header_value("X-Preview-Cache") == "hit");
  CHECK(again->body == res->body);
  CHECK(again->get_header_value("ETag") == etag);
  auto conditional = fetch(server, path, etag);
  REQUIRE(conditional);
  CHECK(conditional->status == 304);
  CHECK(conditional->body.empty());
  // Another size or rate is another image: never a 304 for this ETag.
  auto small = fetch(server, path + "?width=160&fps=5", etag);
  REQUIRE(small);
  REQUIRE(small->status == 200);
  WebpAnimation small_webp = parse_webp_animation(small->body);
  CHECK(small_webp.canvas_width == 160);
  CHECK(small_webp.canvas_height == 120);
  CHECK(small_webp.durations_ms.size() == 15u);
  CHECK(small->get_header_value("ETag") != etag);

  // The CLI twin writes the same image.
  CommandResult cli = run_cli({"preview", uuid, "--trace", "2", "-o", "-"});
  CHECK(cli.exit_code == 0);
  CHECK(sha256_hex(cli.out) == sha256_hex(res->body));
}

TEST_CASE("trace preview: a GIF on request, its face box drawn on the detection of each frame") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  auto res = fetch(server, "/api/v1/file/" + uuid + "/trace/2/preview?format=gif");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "image/gif");
  CHECK(res->body.compare(0, 6, "GIF89a") == 0);
  int width = 0;
  int height = 0;
  const std::string path = gif_file(res->body);
  int frames = gif_frame_count(path, &width, &height);
  CHECK(width == 320);
  CHECK(height == 240);
  CHECK(std::abs(frames - 30) <= 1);

  // The first picture is the window's first film frame, boxed where the
  // scene model put trace 2's face (long.mp4 is 320x240, so no scaling).
  auto [first, last] = preview_frames(res.value());
  (void)last;
  CommandResult decoded = run_command(
      {ffmpeg_path(), "-v", "error", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"});
  std::vector<std::string> pictures;
  if (decoded.out.size() == 320u * 240 * 3) pictures.push_back(decoded.out);
  REQUIRE(!pictures.empty());
  fixtures::Scene scene(320, 240, 1500);
  bool found = false;
  for (const auto& d : scene.detections_at(first)) {
    if (d.trace_id != 2) continue;
    found = true;
    CAPTURE(d.box.x);
    CAPTURE(d.box.y);
    // The box's edges: the middle of its top, bottom, left and right lines.
    CHECK(is_box_yellow(pictures[0], 320, d.box.x + d.box.width / 2, d.box.y));
    CHECK(is_box_yellow(pictures[0], 320, d.box.x + d.box.width / 2, d.box.y + d.box.height - 1));
    CHECK(is_box_yellow(pictures[0], 320, d.box.x, d.box.y + d.box.height / 2));
    CHECK(is_box_yellow(pictures[0], 320, d.box.x + d.box.width - 1, d.box.y + d.box.height / 2));
    // And not inside it.
    CHECK_FALSE(is_box_yellow(pictures[0], 320, d.box.x + d.box.width / 2, d.box.y + d.box.height / 2));
  }
  CHECK(found);
  auto etag = res->get_header_value("ETag");
  auto webp = fetch(server, "/api/v1/file/" + uuid + "/trace/2/preview", etag);
  REQUIRE(webp);
  CHECK(webp->status == 200);  // the WebP is another representation
  std::filesystem::remove(path);
}

TEST_CASE("trace preview: a trace shorter than 3 s is shown whole") {
  TestServer server;
  // bframes.mp4: 29.97 fps; trace 1 spans frames 0..30 (about 1.03 s).
  const std::string& uuid = registered_fixture("bframes.mp4");
  auto res = fetch(server, "/api/v1/file/" + uuid + "/trace/1/preview");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  auto [first, last] = preview_frames(res.value());
  CHECK(first == 0);
  CHECK(last == 30);
  WebpAnimation webp = parse_webp_animation(res->body);
  REQUIRE(webp.valid);
  CHECK(webp.durations_ms.size() == 10u);  // 31 frames of 1/29.97 s at 10 fps
}

TEST_CASE("trace preview: unknown traces are 404, bad parameters 400 naming what is valid") {
  TestServer server;
  const std::string& uuid = registered_fixture("bframes.mp4");
  const std::string path = "/api/v1/file/" + uuid + "/trace/";
  check_rejected(server, path + "999/preview", 404, "trace_not_found");
  check_rejected(server, path + "abc/preview", 400, "trace");
  check_rejected(server, path + "1/preview?format=png", 400, "format");
  check_rejected(server, path + "1/preview?width=0", 400, "width");
  check_rejected(server, path + "1/preview?width=5000", 400, "width");
  check_rejected(server, path + "1/preview?width=12x", 400, "width");
  check_rejected(server, path + "1/preview?fps=0", 400, "fps");
  check_rejected(server, path + "1/preview?fps=31", 400, "fps");
  CommandResult cli = run_cli({"preview", uuid, "--trace", "999", "-o", "-"});
  CHECK(cli.exit_code != 0);
  CHECK(cli.err.find("trace") != std::string::npos);
}

TEST_CASE("trace preview: exact frames in files of every kind (B-frames, open GOP, VFR, VP9, 10-bit, MPEG-PS, AVI)") {
  TestServer server;
  for (const char* fixture :
       {"bframes.mp4", "opengop.ts", "vfr.mp4", "vp9.webm", "hevc10.mp4", "dvd.vob", "xvid.avi"}) {
    CAPTURE(fixture);
    const std::string& uuid = registered_fixture(fixture);
    auto span = shared_app().detections().trace_summary(uuid, 2);
    REQUIRE(span);
    auto res = fetch(server, "/api/v1/file/" + uuid + "/trace/2/preview?format=gif");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    auto [first, last] = preview_frames(res.value());
    CHECK(first >= span->first_frame);
    CHECK(last <= span->last_frame);
    CHECK(last > first);
    const std::string path = gif_file(res->body);
    int width = 0;
    int height = 0;
    int frames = gif_frame_count(path, &width, &height);
    CHECK(width == 320);
    CHECK(height == 240);
    CHECK(frames >= 1);
    // The first picture is the window's first film frame: closer to it
    // than to its neighbours (the fixtures burn the frame number in).
    CommandResult decoded = run_command(
        {ffmpeg_path(), "-v", "error", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"});
    REQUIRE(decoded.out.size() == 320u * 240 * 3);
    const std::string& source = fixture_path(fixture);
    double same = psnr(decoded.out, reference_frame_rgb(source, first));
    double before = psnr(decoded.out, reference_frame_rgb(source, first - 1));
    double after = psnr(decoded.out, reference_frame_rgb(source, first + 1));
    CAPTURE(same);
    CAPTURE(before);
    CAPTURE(after);
    CHECK(same > before);
    CHECK(same > after);
    std::filesystem::remove(path);
  }
}

TEST_CASE("trace preview: a re-import changes the ETag, so a cached preview is never stale") {
  TestServer server;
  const std::string uuid = register_own_fixture("noaudio.mp4");
  const std::string jsonl = fixture_path("noaudio.jsonl");
  REQUIRE(run_cli({"import", uuid, jsonl}).exit_code == 0);
  const std::string path = "/api/v1/file/" + uuid + "/trace/2/preview";
  auto before = fetch(server, path);
  REQUIRE(before);
  REQUIRE(before->status == 200);
  const std::string etag = before->get_header_value("ETag");
  auto same = fetch(server, path, etag);
  REQUIRE(same);
  CHECK(same->status == 304);
  CommandResult again = run_cli({"import", uuid, jsonl, "--replace"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  auto after = fetch(server, path, etag);
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(after->get_header_value("ETag") != etag);
  CHECK(after->get_header_value("X-Preview-Cache") == "miss");
}
