// Stopping: SIGTERM drains (readiness off at once, no new job, running short
// jobs finish, streams end at --drain-timeout, every child reaped, exit 0),
// and SIGKILL leaves no ffmpeg behind, over every kind of stream.
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "support/media_checks.hpp"
#include "support/raw_http.hpp"
#include "support/server_process.hpp"
#include "support/skip_or_fail.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"
#include "support/wait_until.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
std::string key_header() { return "X-API-Key: " + all_files_key() + "\r\n"; }

std::unique_ptr<ServerProcess> start_server(const std::vector<std::string>& args) {
  try {
    return std::make_unique<ServerProcess>(args);
  } catch (const std::exception& e) {
    FAIL_CHECK("frameserve did not start: " << e.what());
    return nullptr;
  }
}

// Opens a stream that reads its head and then stops reading.
std::unique_ptr<RawConnection> open_stalled_stream(int port, const std::string& target) {
  auto connection = std::make_unique<RawConnection>(port, target, key_header(), ReceiveBuffer::small);
  std::string head = connection->read_at_least(100, std::chrono::seconds(30));
  INFO(target << " answered: " << head.substr(0, 200));
  CHECK(head.rfind("HTTP/1.1 200", 0) == 0);
  return connection;
}

std::string first_trace(const std::string& uuid) {
  TestServer server;
  auto client = server.client();
  auto res = client.Get(("/api/v1/file/" + uuid + "/traces?limit=1").c_str(), key_headers(all_files_key()));
  REQUIRE(res);
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  REQUIRE(doc.IsObject());
  REQUIRE(doc["traces"].Size() >= 1);
  return std::to_string(doc["traces"][0]["trace_id"].GetInt64());
}

bool is_whole_jpeg(const std::string& body) {
  return body.size() > 4 && static_cast<unsigned char>(body[0]) == 0xFF &&
         static_cast<unsigned char>(body[1]) == 0xD8 && static_cast<unsigned char>(body[body.size() - 2]) == 0xFF &&
         static_cast<unsigned char>(body[body.size() - 1]) == 0xD9;
}
}  // namespace

TEST_CASE("SIGTERM during a thumbnail of a deep frame still delivers the whole image") {
  const std::string& uuid = registered_fixture("long.mp4");
  // A large upscaled JPEG (4096 wide, the most a thumbnail may be) of the
  // last frame of the longest fixture keeps ffmpeg busy long enough to be
  // caught holding its slot; should it finish first, the attempt is repeated
  // on a fresh server.
  std::string target = "/api/v1/file/" + uuid + "/thumbnail?frame=1499&width=4096&quality=100";
  bool caught = false;
  for (int attempt = 0; attempt < 8 && !caught; ++attempt) {
    auto server = start_server({"--drain-timeout", "30"});
    if (!server) return;
    httplib::Client client("127.0.0.1", server->port());
    client.set_read_timeout(60, 0);
    std::optional<httplib::Response> thumb;
    std::atomic<bool> answered{false};
    std::thread request([&] {
      if (auto res = client.Get(target.c_str(), key_headers(all_files_key()))) thumb = *res;
      answered = true;
    });
    httplib::Client probe("127.0.0.1", server->port());
    // Waits for the job to hold its slot, then stops the server under it;
    // a thumbnail that finished before it was seen running is tried again.
    wait_until(
        [&] {
          auto health = probe.Get("/healthz");
          if (!health) return true;
          if (health->body.find("\"running\":1") != std::string::npos) {
            server->signal(SIGTERM);
            caught = true;
            return true;
          }
          return answered.load();
        },
        k_patience, std::chrono::milliseconds(1));
    request.join();
    REQUIRE(thumb);
    CHECK(thumb->status == 200);
    if (!caught) continue;
    CHECK(is_whole_jpeg(thumb->body));
    CHECK(!decode_image_rgb(thumb->body).empty());
    auto status = server->wait_exit(std::chrono::seconds(60));
    REQUIRE(status.has_value());
    CHECK(status->success());
  }
  if (!caught) skip_or_fail("the thumbnail always finished before SIGTERM could be sent: nothing was checked");
}

TEST_CASE("SIGTERM with slow-reading streams: not ready, no new job, streams cut at the drain deadline, exit 0") {
  const std::string& uuid = registered_fixture("long.mp4");
  auto server = start_server({"--drain-timeout", "3", "--max-jobs", "8", "--stream-reserve", "1"});
  if (!server) return;
  std::vector<std::unique_ptr<RawConnection>> streams;
  for (int i = 0; i < 3; ++i) {
    streams.push_back(
        open_stalled_stream(server->port(), "/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=1499"));
  }
  std::vector<pid_t> ffmpeg = children_named(server->pid(), "ffmpeg");
  CHECK(ffmpeg.size() == 3);

  server->signal(SIGTERM);
  // The streams hold the process in its drain: it answers, but is not ready
  // and starts nothing new.
  httplib::Client client("127.0.0.1", server->port());
  std::optional<httplib::Response> ready;
  wait_until([&] {  // until the signal has been handled
    auto res = client.Get("/readyz");
    if (!res) return true;
    ready = *res;
    return ready->status != 200;
  });
  REQUIRE(ready);
  CHECK(ready->status == 503);
  CHECK(ready->body.find("\"draining\"") != std::string::npos);
  CHECK(ready->has_header("Retry-After"));
  auto thumb = client.Get(("/api/v1/file/" + uuid + "/thumbnail?frame=10").c_str(), key_headers(all_files_key()));
  REQUIRE(thumb);
  CHECK(thumb->status == 503);
  CHECK(thumb->has_header("Retry-After"));
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);

  // Bounded generously: the drain deadline is 3 s, the stream timeout 6 h.
  auto status = server->wait_exit(std::chrono::seconds(60));
  REQUIRE(status.has_value());
  CHECK(status->success());
  CHECK(still_alive(ffmpeg, std::chrono::seconds(5)).empty());
}

TEST_CASE("kill -9 leaves no ffmpeg running, over open streams of every kind") {
  const std::string& uuid = registered_fixture("long.mp4");
  std::string trace = first_trace(uuid);
  auto server = start_server({"--max-jobs", "16", "--stream-reserve", "1"});
  if (!server) return;
  std::string file = "/api/v1/file/" + uuid;
  std::vector<std::string> targets = {
      file + "/video?start_frame=0&end_frame=1499",             // stream copy
      file + "/video/bbox?start_frame=0&end_frame=1499",        // overlay
      file + "/video?start_frame=0&end_frame=1499&mode=debug",  // overlay, debug
      file + "/trace/" + trace + "/video?pad_frames=1000",      // trace video
      file + "/clip?start_frame=0&end_frame=1499",              // clip
      file + "/clip?start_frame=0&end_frame=1499&mode=debug",   // clip, debug
  };
  // HLS segment renders (a plain one and one with boxes). A segment of this
  // small fixture may be rendered whole before the kill, so they are not
  // counted below; any of their ffmpeg still running must die all the same.
  const std::vector<std::string> segments = {
      file + "/video?format=hls&segment=0.ts&start_frame=0&end_frame=1499",
      file + "/video/bbox?format=hls&segment=1.ts&start_frame=0&end_frame=1499",
  };
  std::vector<std::unique_ptr<RawConnection>> streams;
  for (const std::string& target : targets) streams.push_back(open_stalled_stream(server->port(), target));
  for (const std::string& target : segments) streams.push_back(open_stalled_stream(server->port(), target));
  std::vector<pid_t> ffmpeg = children_named(server->pid(), "ffmpeg");
  // Overlays run a decoder and an encoder each.
  CHECK(ffmpeg.size() >= targets.size());
  server->signal(SIGKILL);
  REQUIRE(server->wait_exit(std::chrono::seconds(10)).has_value());
  std::vector<pid_t> orphans = still_alive(ffmpeg, std::chrono::seconds(5));
  CHECK(orphans.empty());
  for (pid_t pid : orphans) ::kill(pid, SIGKILL);  // never leave them behind
}
