// GET .../video: the file with HTTP Range semantics, compared case by case
// with nginx serving the same file; and stream-copied ranges as fMP4.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "common/text.hpp"
#include "support/media_checks.hpp"
#include "support/nginx_server.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
// The parts of a multipart/byteranges body: (Content-Range, bytes).
std::vector<std::pair<std::string, std::string>> multipart_parts(const httplib::Response& res) {
  std::vector<std::pair<std::string, std::string>> parts;
  std::string type = res.get_header_value("Content-Type");
  size_t at = type.find("boundary=");
  if (at == std::string::npos) return parts;
  std::string delimiter = "--" + type.substr(at + 9);
  const std::string& body = res.body;
  size_t pos = body.find(delimiter);
  while (pos != std::string::npos) {
    pos += delimiter.size();
    if (body.compare(pos, 2, "--") == 0) break;
    size_t headers_end = body.find("\r\n\r\n", pos);
    std::string headers = body.substr(pos, headers_end - pos);
    size_t range_at = headers.find("Content-Range: ");
    std::string range = headers.substr(range_at + 15, headers.find("\r\n", range_at) - range_at - 15);
    size_t next = body.find("\r\n" + delimiter, headers_end + 4);
    parts.emplace_back(range, body.substr(headers_end + 4, next - headers_end - 4));
    pos = body.find(delimiter, next);
  }
  return parts;
}

// Asks frameserve (`ours_path`) and nginx (`their_path`) the same requests
// and checks that status, Content-Range, validators, length and bytes agree
// (multipart parts compared part by part: the boundaries differ).
void check_same_answers(httplib::Client& reference, const std::string& their_path, httplib::Client& ours_client,
                        const std::string& ours_path, const std::vector<httplib::Headers>& cases) {
  for (const httplib::Headers& headers : cases) {
    std::string description;
    for (const auto& [k, v] : headers) description += k + ": " + v + "; ";
    CAPTURE(description);
    auto theirs = reference.Get(their_path.c_str(), headers);
    httplib::Headers ours_headers = headers;
    ours_headers.emplace("X-API-Key", all_files_key());
    auto ours = ours_client.Get(ours_path.c_str(), ours_headers);
    REQUIRE(theirs);
    REQUIRE(ours);
    CHECK(ours->status == theirs->status);
    CHECK(ours->get_header_value("Content-Range") == theirs->get_header_value("Content-Range"));
    if (theirs->status == 200 || theirs->status == 206) {
      CHECK(ours->get_header_value("Content-Length") == theirs->get_header_value("Content-Length"));
      CHECK(ours->get_header_value("ETag") == theirs->get_header_value("ETag"));
      CHECK(ours->get_header_value("Last-Modified") == theirs->get_header_value("Last-Modified"));
      CHECK(ours->get_header_value("Accept-Ranges") == "bytes");
      std::string type = theirs->get_header_value("Content-Type");
      if (type.rfind("multipart/byteranges", 0) == 0) {
        CHECK(ours->get_header_value("Content-Type").rfind("multipart/byteranges; boundary=", 0) == 0);
        auto our_parts = multipart_parts(*ours);
        auto their_parts = multipart_parts(*theirs);
        REQUIRE(our_parts.size() == their_parts.size());
        for (size_t i = 0; i < our_parts.size(); ++i) {
          CHECK(our_parts[i].first == their_parts[i].first);
          CHECK(our_parts[i].second == their_parts[i].second);
        }
      } else {
        CHECK(ours->get_header_value("Content-Type") == type);
        CHECK(sha256_hex(ours->body) == sha256_hex(theirs->body));
      }
    }
  }
}
}  // namespace

TEST_CASE("Range requests are answered as nginx answers them") {
  NginxServer nginx(env_or("FRAMESERVE_FIXTURES", "build/fixtures"));
  TestServer server;
  httplib::Client reference("127.0.0.1", nginx.port());
  auto client = server.client();
  const std::string& uuid = registered_fixture("bframes.mp4");
  std::string ours_path = "/api/v1/file/" + uuid + "/video";

  auto full = reference.Get("/bframes.mp4");
  REQUIRE(full);
  REQUIRE(full->status == 200);
  std::string etag = full->get_header_value("ETag");
  std::string last_modified = full->get_header_value("Last-Modified");

  const std::vector<httplib::Headers> cases = {
      {},
      {{"Range", "bytes=0-99"}},
      {{"Range", "bytes=1000-"}},
      {{"Range", "bytes=-500"}},
      {{"Range", "bytes=-999999999"}},
      {{"Range", "bytes=0-999999999"}},
      {{"Range", "bytes=185000-"}},
      {{"Range", "bytes=999999999-"}},
      {{"Range", "bytes=5-2"}},
      {{"Range", "bytes=abc"}},
      {{"Range", "bytes=-0"}},
      {{"Range", "bytes=-"}},
      {{"Range", "items=0-9"}},
      {{"Range", "bytes="}},
      {{"Range", "Bytes=10-19"}},
      {{"Range", "bytes=0-9,20-29,-5"}},
      {{"Range", "bytes=0-0,0-0"}},
      {{"Range", "bytes=0-,0-"}},
      {{"Range", "bytes=100-199, 999999999-"}},
      {{"Range", "bytes=0-9"}, {"If-Range", etag}},
      {{"Range", "bytes=0-9"}, {"If-Range", "\"stale\""}},
      {{"Range", "bytes=0-9"}, {"If-Range", last_modified}},
      {{"If-None-Match", etag}},
      {{"If-Modified-Since", last_modified}},
  };
  check_same_answers(reference, "/bframes.mp4", client, ours_path, cases);

  SUBCASE("HEAD") {
    auto theirs = reference.Head("/bframes.mp4");
    auto ours = client.Head(ours_path.c_str(), key_headers(all_files_key()));
    REQUIRE(theirs);
    REQUIRE(ours);
    CHECK(ours->status == 200);
    CHECK(ours->get_header_value("Content-Length") == theirs->get_header_value("Content-Length"));
    CHECK(ours->body.empty());
  }
}

TEST_CASE("/video bodies of many read chunks are the file's bytes, as nginx sends them") {
  // The file is sent in 256 KiB reads into one buffer reused for the whole
  // response (1 MiB ones before): ranges that start, end and cross those
  // boundaries, the whole file, and multipart parts spanning several reads.
  NginxServer nginx(env_or("FRAMESERVE_FIXTURES", "build/fixtures"));
  TestServer server;
  httplib::Client reference("127.0.0.1", nginx.port());
  auto client = server.client();
  const std::string& uuid = registered_fixture("long.mp4");
  std::string ours_path = "/api/v1/file/" + uuid + "/video";
  REQUIRE(std::filesystem::file_size(fixture_path("long.mp4")) > 2200000);

  const std::vector<httplib::Headers> cases = {
      {},
      {{"Range", "bytes=262143-262144"}},
      {{"Range", "bytes=262144-524287"}},
      {{"Range", "bytes=1-1048577"}},
      {{"Range", "bytes=1048575-"}},
      {{"Range", "bytes=-1300000"}},
      {{"Range", "bytes=0-9,262000-1300000,-300000"}},
      {{"Range", "bytes=1048575-1048576,2000000-2100000"}},
  };
  check_same_answers(reference, "/long.mp4", client, ours_path, cases);
}

TEST_CASE("/video with a frame range: stream copy as fragmented MP4") {
  TestServer server;
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  const std::string& uuid = registered_fixture("bframes.mp4");
  auto res = client.Get(("/api/v1/file/" + uuid + "/video?start_frame=40&end_frame=80").c_str(), headers);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "video/mp4");
  CHECK(res->get_header_value("Accept-Ranges") == "none");
  CHECK(res->get_header_value("X-First-Frame") == "30");  // the keyframe before 40 (GOP of 30)
  CHECK(res->body.find("moof") != std::string::npos);     // fragmented: playable while downloading
  CHECK(res->body.find("moov") < res->body.find("moof"));
  CHECK(probe_stream_counts(res->body).find("audio:") != std::string::npos);
  // The stream copy is bit-exact: source frames 30.. are frames 0.. here.
  // It cannot end exactly either: frames decoded before 80 but shown after
  // it (B-frame references) come along.
  std::vector<std::string> frames = decode_stream_frames(res->body, 320, 240);
  REQUIRE(frames.size() >= 51);
  CHECK(frames.size() <= 55);
  CHECK(sha256_hex(frames[10]) == sha256_hex(reference_frame_rgb(fixture_path("bframes.mp4"), 40)));
  CHECK(sha256_hex(frames[50]) == sha256_hex(reference_frame_rgb(fixture_path("bframes.mp4"), 80)));

  auto silent = client.Get(("/api/v1/file/" + uuid + "/video?start_frame=40&end_frame=80&audio=off").c_str(), headers);
  REQUIRE(silent);
  CHECK(probe_stream_counts(silent->body).find("audio") == std::string::npos);
  auto whole_silent = client.Get(("/api/v1/file/" + uuid + "/video?audio=off").c_str(), headers);
  REQUIRE(whole_silent);
  CHECK(probe_stream_counts(whole_silent->body) == "video:150");
  auto timed = client.Get(("/api/v1/file/" + uuid + "/video?start_time=2&end_time=3").c_str(), headers);
  REQUIRE(timed);
  CHECK(timed->status == 200);
  auto bad = client.Get(("/api/v1/file/" + uuid + "/video?start_frame=80&end_frame=40").c_str(), headers);
  REQUIRE(bad);
  CHECK(bad->status == 400);
}

TEST_CASE("frameserve video: the CLI twin of the stream copy, the same frames as GET .../video") {
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("bframes.mp4");
  auto http =
      client.Get(("/api/v1/file/" + uuid + "/video?start_frame=40&end_frame=80").c_str(), key_headers(all_files_key()));
  REQUIRE(http);
  REQUIRE(http->status == 200);

  CommandResult cli = run_cli({"video", uuid, "--start-frame", "40", "--end-frame", "80", "-o", "-"});
  REQUIRE(cli.exit_code == 0);
  CHECK(cli.err.find("keyframe 30") != std::string::npos);  // as X-First-Frame says
  CHECK(cli.out.find("moof") != std::string::npos);
  CHECK(probe_stream_counts(cli.out) == probe_stream_counts(http->body));
  std::vector<std::string> ours = decode_stream_frames(cli.out, 320, 240);
  std::vector<std::string> served = decode_stream_frames(http->body, 320, 240);
  REQUIRE(ours.size() == served.size());
  REQUIRE(ours.size() >= 51);
  for (size_t i = 0; i < ours.size(); ++i) {
    CAPTURE(i);
    CHECK(sha256_hex(ours[i]) == sha256_hex(served[i]));
  }
  CHECK(sha256_hex(ours[10]) == sha256_hex(reference_frame_rgb(fixture_path("bframes.mp4"), 40)));

  // A path needs no database; times and audio=off work as over HTTP.
  CommandResult by_path =
      run_command({frameserve_bin(), "--db", "host=/nonexistent dbname=none", "video", fixture_path("bframes.mp4"),
                   "--start-time", "2", "--end-time", "3", "--audio", "off", "-o", "-"});
  REQUIRE(by_path.exit_code == 0);
  CHECK(probe_stream_counts(by_path.out).find("audio") == std::string::npos);
  auto timed = client.Get(("/api/v1/file/" + uuid + "/video?start_time=2&end_time=3&audio=off").c_str(),
                          key_headers(all_files_key()));
  REQUIRE(timed);
  CHECK(probe_stream_counts(by_path.out) == probe_stream_counts(timed->body));

  // The same errors, and no partial output file.
  std::string out_path = "/tmp/frameserve-video-cli-" + std::to_string(::getpid()) + ".mp4";
  CommandResult reversed = run_cli({"video", uuid, "--start-frame", "80", "--end-frame", "40", "-o", out_path});
  CHECK(reversed.exit_code == 3);
  CHECK(reversed.err.find("end_frame") != std::string::npos);
  CHECK(run_command({"/usr/bin/test", "-e", out_path}).exit_code != 0);
  CHECK(run_cli({"video", uuid, "--start-frame", "40", "-o", "-"}).exit_code == 3);
}
