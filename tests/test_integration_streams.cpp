// The supervisor under stress: clients that vanish, clients that stop
// reading, a full job cap, deadlines, and a server that dies.
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "common/text.hpp"
#include "process/child_process.hpp"
#include "process/job_limiter.hpp"
#include "support/media_checks.hpp"
#include "support/raw_http.hpp"
#include "support/server_process.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"
#include "support/wait_until.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
std::string key_header() { return "X-API-Key: " + all_files_key() + "\r\n"; }

int open_descriptors() {
  int count = 0;
  for (int fd = 0; fd < 4096; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1) ++count;
  }
  return count;
}
}  // namespace

TEST_CASE("50 aborted downloads leave no ffmpeg, no zombie, no leaked descriptor") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  std::string clip = "/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=1499";
  std::string copy = "/api/v1/file/" + uuid + "/video?start_frame=0&end_frame=1499";
  {  // warm the pools (threads, database connections) before counting fds
    RawConnection warm(server.port(), clip, key_header());
    warm.read_at_least(1000, std::chrono::seconds(20));
    warm.abort();
    REQUIRE(ffmpeg_children_gone());
  }
  int fds_before = open_descriptors();
  int started = 0;
  for (int i = 0; i < 50; ++i) {
    RawConnection connection(server.port(), i % 5 == 4 ? copy : clip, key_header());
    std::string head = connection.read_at_least(2000, std::chrono::seconds(20));
    if (head.rfind("HTTP/1.1 200", 0) == 0) ++started;
    connection.abort();
    // Each client's ffmpeg goes with it: unread, the clip of the whole
    // fixture would keep it blocked on its pipe until the 6 h stream deadline.
    CHECK(ffmpeg_children_gone());
  }
  CHECK(started == 50);
  CHECK(ffmpeg_children_gone());
  // The server closes each connection's descriptors once its handler ends.
  CHECK(wait_until([&] { return open_descriptors() <= fds_before + 2; }));
}

TEST_CASE("the job cap: waiting, 503 with Retry-After, and a reserve short jobs can use") {
  app::ServerConfig config = TestServer::test_config();
  config.max_jobs = 2;
  config.stream_reserve = 1;
  config.queue_wait_ms = 300;
  TestServer server(config);
  const std::string& uuid = registered_fixture("long.mp4");
  std::string clip = "/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=1499";

  // A working stream holds the one slot streams may take. (Taken here
  // directly: a stream whose client stops reading parks its slot, see
  // test_integration_load.cpp.)
  auto working = server.app().limiter().acquire(process::JobClass::stream, std::chrono::milliseconds(0));
  REQUIRE(working);

  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  // Streams may not take the reserved slot...
  auto second = client.Get(clip.c_str(), headers);
  REQUIRE(second);
  CHECK(second->status == 503);
  CHECK(second->has_header("Retry-After"));
  CHECK(second->body.find("\"code\":\"too_busy\"") != std::string::npos);
  // ...which short jobs still get, and the health check needs no slot at all.
  auto thumbnail = client.Get(("/api/v1/file/" + uuid + "/thumbnail?frame=700").c_str(), headers);
  REQUIRE(thumbnail);
  CHECK(thumbnail->status == 200);
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->body.find("\"running\":1") != std::string::npos);

  working.value().release();
  auto after = client.Get(("/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=9").c_str(), headers);
  REQUIRE(after);
  CHECK(after->status == 200);
}

TEST_CASE("a stream deadline ends a runaway child") {
  app::ServerConfig config = TestServer::test_config();
  config.stream_timeout_secs = 2;
  TestServer server(config);
  const std::string& uuid = registered_fixture("long.mp4");
  RawConnection stalled(server.port(), "/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=1499", key_header(),
                        ReceiveBuffer::small);
  REQUIRE(stalled.read_at_least(100, std::chrono::seconds(20)).rfind("HTTP/1.1 200", 0) == 0);
  // Not reading: ffmpeg blocks on its pipe until the deadline ends it.
  // Nothing else could within the wait: the write timeout is 120 s.
  CHECK(ffmpeg_children_gone());
}

TEST_CASE("children die with frameserve") {
  // The real binary, as a separate process.
  ServerProcess server;
  const std::string& uuid = registered_fixture("long.mp4");
  RawConnection stream(server.port(), "/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=1499", key_header());
  REQUIRE(stream.read_at_least(100, std::chrono::seconds(20)).rfind("HTTP/1.1 200", 0) == 0);

  // frameserve's ffmpeg child dies with it.
  std::vector<pid_t> ffmpeg = children_named(server.pid(), "ffmpeg");
  REQUIRE(ffmpeg.size() == 1);
  server.signal(SIGKILL);
  REQUIRE(server.wait_exit(k_patience).has_value());
  CHECK(still_alive(ffmpeg, k_patience).empty());
}
