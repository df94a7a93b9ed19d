#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "process/child_process.hpp"
#include "process/job_limiter.hpp"
#include "process/output_reader.hpp"
#include "support/wait_until.hpp"

using namespace frameserve;
using namespace frameserve::process;

namespace {
std::string read_all(ChildProcess& child) {
  OutputReader reader(child);
  std::string out;
  char buffer[4096];
  while (true) {
    auto chunk = reader.read(buffer, sizeof buffer, std::chrono::milliseconds(2000));
    if (chunk.status == OutputReader::ReadStatus::data)
      out.append(buffer, chunk.size);
    else if (chunk.status != OutputReader::ReadStatus::timeout)
      break;
  }
  return out;
}

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0; }

// Whether `pid` ignores SIGTERM: the SigIgn mask in /proc/PID/status.
bool ignores_sigterm(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("SigIgn:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) >> (SIGTERM - 1)) & 1;
  }
  return false;
}
}  // namespace

TEST_CASE("a child's output is read and its exit status reported") {
  auto child = ChildProcess::spawn(SpawnOptions{{"/bin/sh", "-c", "echo hello; echo oops >&2; exit 3"}, false});
  REQUIRE(child);
  CHECK(read_all(*child.value()) == "hello\n");
  ExitStatus status = child.value()->wait();
  CHECK(status.exited);
  CHECK(status.code == 3);
}

TEST_CASE("an ffmpeg's -progress lines on stderr feed the frame listener, not the error text") {
  // What ffmpeg -progress pipe:2 writes, split across writes, with a real
  // error line among the blocks.
  auto child = ChildProcess::spawn(SpawnOptions{
      {"/bin/sh", "-c",
       "printf 'frame=12\\nfps=24.0\\nout_ti' >&2; sleep 0.1; "
       "printf 'me_us=500000\\nprogress=continue\\n[mp4 @ 0x1] Invalid data found\\nframe=30\\nprogress=end\\n' >&2; "
       "echo done"},
      false});
  REQUIRE(child);
  OutputReader reader(*child.value(), 8192, /*progress_lines=*/true);
  std::vector<int64_t> frames;
  reader.set_frame_listener([&](int64_t n) { frames.push_back(n); });
  char buffer[256];
  std::string out;
  while (true) {
    auto chunk = reader.read(buffer, sizeof buffer, std::chrono::milliseconds(2000));
    if (chunk.status == OutputReader::ReadStatus::data)
      out.append(buffer, chunk.size);
    else if (chunk.status != OutputReader::ReadStatus::timeout)
      break;
  }
  reader.drain_stderr(std::chrono::milliseconds(2000));
  CHECK(out == "done\n");
  CHECK(frames == std::vector<int64_t>{12, 30});
  CHECK(reader.failure_reason() == "[mp4 @ 0x1] Invalid data found");
  CHECK(reader.stderr_tail().find("progress=") == std::string::npos);
  child.value()->wait();
}

TEST_CASE("children inherit no descriptors beyond stdio") {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);  // like an accepted client socket
  auto child = ChildProcess::spawn(SpawnOptions{{"/bin/ls", "/proc/self/fd"}, false});
  REQUIRE(child);
  std::string listing = read_all(*child.value());
  child.value()->wait();
  ::close(fds[0]);
  ::close(fds[1]);
  // ls itself opens one descriptor for the directory it lists.
  CHECK(listing == "0\n1\n2\n3\n");
}

TEST_CASE("terminate ends a child that ignores nothing, and one that ignores SIGTERM") {
  auto sleeper = ChildProcess::spawn(SpawnOptions{{"/bin/sleep", "30"}, false});
  REQUIRE(sleeper);
  pid_t pid = sleeper.value()->pid();
  ExitStatus status = sleeper.value()->terminate();
  CHECK_FALSE(status.exited);
  CHECK(status.signal == SIGTERM);
  CHECK_FALSE(process_exists(pid));  // reaped: not even a zombie

  auto stubborn = ChildProcess::spawn(SpawnOptions{{"/bin/sh", "-c", "trap '' TERM; sleep 30"}, false});
  REQUIRE(stubborn);
  pid = stubborn.value()->pid();
  // Once the shell has set its trap, SIGTERM cannot end it: only the
  // SIGKILL after the grace period does, and the child is reaped.
  REQUIRE(frameserve::testing::wait_until([&] { return ignores_sigterm(pid); }));
  status = stubborn.value()->terminate(std::chrono::milliseconds(200));
  CHECK(status.signal == SIGKILL);
  CHECK_FALSE(process_exists(pid));
}

TEST_CASE("destroying a ChildProcess reaps it") {
  pid_t pid;
  {
    auto child = ChildProcess::spawn(SpawnOptions{{"/bin/sleep", "30"}, false});
    REQUIRE(child);
    pid = child.value()->pid();
  }
  CHECK_FALSE(process_exists(pid));
}

TEST_CASE("spawn refuses relative programs and reports missing ones") {
  CHECK_FALSE(ChildProcess::spawn(SpawnOptions{{"sleep", "1"}, false}));
  auto missing = ChildProcess::spawn(SpawnOptions{{"/nonexistent/ffmpeg"}, false});
  CHECK_FALSE(missing);
}

TEST_CASE("job limiter: cap, FIFO wait, 503 after the wait, stream reserve") {
  JobLimiter limiter(2, 1, 8);
  auto a = limiter.acquire(JobClass::stream, std::chrono::milliseconds(0));
  REQUIRE(a);
  // Streams may hold only capacity - reserve slots.
  auto b = limiter.acquire(JobClass::stream, std::chrono::milliseconds(50));
  REQUIRE_FALSE(b);
  CHECK(b.error().kind == ErrorKind::unavailable);
  CHECK(b.error().retry_after_secs >= 1);
  auto c = limiter.acquire(JobClass::short_job, std::chrono::milliseconds(0));
  REQUIRE(c);
  auto d = limiter.acquire(JobClass::short_job, std::chrono::milliseconds(20));
  CHECK_FALSE(d);
  // The slot is released once the acquire below is waiting for it.
  std::thread releaser([&] {
    frameserve::testing::wait_until([&] { return limiter.stats().waiting == 1; });
    c.value().release();
  });
  auto e = limiter.acquire(JobClass::short_job, std::chrono::milliseconds(2000));
  releaser.join();
  CHECK(e);
  CHECK(limiter.stats().running == 2);
}
