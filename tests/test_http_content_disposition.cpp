// Downloads that name themselves: the Content-Disposition helper (sanitising,
// RFC 6266 / RFC 5987 filename*) and, over real HTTP, the name every media
// endpoint gives, `?download=1`, and what `curl -OJ` saves.
#include <doctest/doctest.h>

#include <unistd.h>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "common/text.hpp"
#include "http/content_disposition.hpp"
#include "render/render_request.hpp"
#include "support/raw_http.hpp"
#include "support/request_checks.hpp"
#include "support/skip_or_fail.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

TEST_CASE("content disposition: sanitised names") {
  CHECK(http::sanitize_filename("film_f300-599.ts") == "film_f300-599.ts");
  CHECK(http::sanitize_filename("a\"b\\c/d:e*f?g<h>i|j%k.mp4") == "a_b_c_d_e_f_g_h_i_j_k.mp4");
  CHECK(http::sanitize_filename(std::string("line\nbreak\t\x7f", 12)) == "line_break__");
  CHECK(http::sanitize_filename("../../etc/passwd") == "_.._etc_passwd");
  CHECK(http::sanitize_filename("..") == "video");
  CHECK(http::sanitize_filename("") == "video");
  CHECK(http::sanitize_filename(".hidden") == "hidden");
  CHECK(http::sanitize_filename("Am\xc3\xa9lie.mp4") == "Am\xc3\xa9lie.mp4");
  // Invalid UTF-8 (a lone continuation byte, a truncated sequence, an
  // overlong slash) and C1 controls become '_'.
  CHECK(http::sanitize_filename("a\x80z") == "a_z");
  CHECK(http::sanitize_filename("a\xc3") == "a_");
  CHECK(http::sanitize_filename("a\xc0\xafz") == "a__z");
  CHECK(http::sanitize_filename("a\xc2\x85z") == "a_z");
  // Long names are cut on a character boundary.
  std::string long_name;
  for (int i = 0; i < 150; ++i) long_name += "\xc3\xa9";
  std::string cut = http::sanitize_filename(long_name);
  CHECK(cut.size() == 200);
  CHECK(http::sanitize_filename(long_name, 5).size() == 4);
}

TEST_CASE("content disposition: header values") {
  CHECK(http::content_disposition("film_f300-599.ts", false) == "inline; filename=\"film_f300-599.ts\"");
  CHECK(http::content_disposition("film.mp4", true) == "attachment; filename=\"film.mp4\"");
  CHECK(http::content_disposition("say \"hi\".mp4", false) == "inline; filename=\"say _hi_.mp4\"");
  // Non-ASCII: an ASCII fallback and the UTF-8 name percent-encoded.
  CHECK(http::content_disposition("Am\xc3\xa9lie 1.mp4", false) ==
        "inline; filename=\"Am_lie 1.mp4\"; filename*=UTF-8''Am%C3%A9lie%201.mp4");
  CHECK(http::content_disposition("\xe5\xbd\xb1.ts", true) ==
        "attachment; filename=\"_.ts\"; filename*=UTF-8''%E5%BD%B1.ts");
  CHECK(http::file_extension("/a/b/film.mp4") == "mp4");
  CHECK(http::file_extension("/a.b/film") == "");
  CHECK(http::file_extension("/a/.hidden") == "");
  CHECK(render::frame_range_suffix(300, 599) == "_f300-599");
}

namespace {
std::string disposition(TestServer& server, const std::string& path, const char* method = "GET") {
  CAPTURE(path);
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  auto res = std::string(method) == "HEAD" ? client.Head(path.c_str(), headers) : client.Get(path.c_str(), headers);
  REQUIRE(res);
  CAPTURE(res->body.substr(0, 300));
  CHECK(res->status < 300);
  return res->get_header_value("Content-Disposition");
}
}  // namespace

TEST_CASE("content disposition: every media endpoint names its download") {
  const std::string& uuid = registered_fixture("noaudio.mp4");
  TestServer server;
  std::string base = "/api/v1/file/" + uuid;
  CHECK(disposition(server, base + "/thumbnail?frame=3") == "inline; filename=\"noaudio_f3.jpg\"");
  CHECK(disposition(server, base + "/thumbnail?frame=3&x=2&y=4&w=16&h=8&format=png") ==
        "inline; filename=\"noaudio_f3_x2y4w16h8.png\"");
  CHECK(disposition(server, base + "/thumbnail?frame=3&download=1") == "attachment; filename=\"noaudio_f3.jpg\"");
  // Streams: HEAD carries the same headers without running ffmpeg.
  CHECK(disposition(server, base + "/clip?start_frame=0&end_frame=9", "HEAD") ==
        "inline; filename=\"noaudio_f0-9.ts\"");
  CHECK(disposition(server, base + "/clip?start_frame=0&end_frame=9&mode=debug&download=1", "HEAD") ==
        "attachment; filename=\"noaudio_f0-9_debug.ts\"");
  CHECK(disposition(server, base + "/video", "HEAD") == "inline; filename=\"noaudio.mp4\"");
  CHECK(disposition(server, base + "/video?download=1", "HEAD") == "attachment; filename=\"noaudio.mp4\"");
  std::string copy = disposition(server, base + "/video?start_frame=0&end_frame=9", "HEAD");
  CHECK(copy == "inline; filename=\"noaudio_f0-9.mp4\"");
  CHECK(disposition(server, base + "/video/bbox?start_frame=0&end_frame=9", "HEAD") ==
        "inline; filename=\"noaudio_bbox_f0-9.mp4\"");
  std::string trace = disposition(server, base + "/trace/1/video", "HEAD");
  CHECK(trace.rfind("inline; filename=\"noaudio_trace1_f", 0) == 0);
  CHECK(trace.size() > 4);
  CHECK(trace.substr(trace.size() - 5) == ".mp4\"");
  std::string face = disposition(server, base + "/trace/1/thumbnail");
  CHECK(face.rfind("inline; filename=\"noaudio_trace1_f", 0) == 0);
  CHECK(face.substr(face.size() - 5) == ".jpg\"");

  check_rejected(server, base + "/thumbnail?frame=3&download=yes", 400, "download must be one of 0, 1");
  check_rejected(server, base + "/clip?start_frame=0&end_frame=9&download=2", 400, "download");
}

TEST_CASE("content disposition: a non-ASCII file name, and curl -OJ") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("frameserve-cd-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path video = dir / "Am\xc3\xa9lie \"2001\".mp4";
  fs::copy_file(fixture_path("noaudio.mp4"), video, fs::copy_options::overwrite_existing);
  CommandResult added = run_cli({"file", "add", video.string()});
  REQUIRE(added.exit_code == 0);
  std::string uuid(trim(added.out));
  TestServer server;
  // Read raw: httplib's client percent-decodes header values.
  RawConnection raw(server.port(), "/api/v1/file/" + uuid + "/thumbnail?frame=0",
                    "X-API-Key: " + all_files_key() + "\r\nConnection: close\r\n");
  std::string response = raw.read_at_least(size_t(1) << 24, std::chrono::seconds(30));
  CAPTURE(response.substr(0, 600));
  CHECK(response.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(response.find("\r\nContent-Disposition: inline; filename=\"Am_lie _2001__f0.jpg\"; "
                      "filename*=UTF-8''Am%C3%A9lie%20_2001__f0.jpg\r\n") != std::string::npos);

  // curl -OJ saves under the header's (ASCII) name.
  fs::path out = dir / "out";
  fs::create_directories(out);
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/api/v1/file/" +
                    registered_fixture("noaudio.mp4") + "/thumbnail?frame=2";
  if (!fs::exists("/usr/bin/curl")) {
    CHECK(run_cli({"file", "rm", uuid}).exit_code == 0);
    fs::remove_all(dir);
    skip_or_fail("/usr/bin/curl is not installed: curl -OJ cannot be checked");
    return;
  }
  CommandResult curl = run_command({"/usr/bin/curl", "-sS", "-f", "-O", "-J", "--output-dir", out.string(), "-H",
                                    "X-API-Key: " + all_files_key(), url});
  CAPTURE(curl.err);
  CHECK(curl.exit_code == 0);
  CHECK(fs::exists(out / "noaudio_f2.jpg"));
  CHECK(run_cli({"file", "rm", uuid}).exit_code == 0);
  fs::remove_all(dir);
}
