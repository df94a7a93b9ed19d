// CLI progress (issue 9 §5) through the real binary: a line on a terminal
// (a pseudo-terminal here), silent on a piped stderr, key=value blocks with
// --progress FILE|-.
#include <doctest/doctest.h>

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>

#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/text.hpp"
#include "support/test_env.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TerminalRun {
  int exit_code = -1;
  std::string screen;  // everything the command wrote to its terminal
};

// Runs the frameserve CLI with `args` on a new pseudo-terminal (stdout and
// stderr both the terminal, as in an interactive shell) and collects what it
// writes there until it exits, for at most `limit`.
TerminalRun run_cli_on_terminal(const std::vector<std::string>& args, std::chrono::seconds limit) {
  std::vector<std::string> argv = {frameserve_bin(), "--db", test_conninfo()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> c_argv;
  for (std::string& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  TerminalRun run;
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) return run;
  if (pid == 0) {
    ::execv(c_argv[0], c_argv.data());
    ::_exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    ssize_t n = ::read(master, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO once the command and its children closed the terminal
    run.screen.append(buffer, static_cast<size_t>(n));
  }
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == 0) ::kill(pid, SIGKILL), ::waitpid(pid, &status, 0);
  ::close(master);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}
}  // namespace

TEST_CASE(
    "progress: on a terminal, clip draws one line rewritten in place (frames of total, speed, time left), then clears it") {
  std::string uuid = register_own_fixture("long.mp4");
  char dir[] = "/tmp/frameserve-tty-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  TerminalRun run = run_cli_on_terminal(
      {"clip", uuid, "--start-frame", "0", "--end-frame", "1499", "-o", std::string(dir) + "/clip.ts"},
      std::chrono::seconds(120));
  CAPTURE(run.screen);
  CHECK(run.exit_code == 0);
  // Each update returns to the line's start and erases it ("\r\033[K"), so
  // the terminal shows one line that changes.
  CHECK(run.screen.find("\r\033[Kencode: ") != std::string::npos);
  CHECK(run.screen.find(" of 1500 frames") != std::string::npos);
  CHECK(run.screen.find("/s") != std::string::npos);
  CHECK(run.screen.find(" s left") != std::string::npos);
  // The line is cleared before the command's own last words.
  size_t cleared = run.screen.rfind("\r\033[K");
  REQUIRE(cleared != std::string::npos);
  CHECK(run.screen.find("wrote frames 0-1499", cleared) != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("progress: import is silent on a piped stderr and writes key=value blocks with --progress -") {
  std::string uuid = register_own_fixture("noaudio.mp4");

  CommandResult quiet = run_cli({"import", uuid, fixture_path("noaudio.jsonl")});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
  CHECK(quiet.out.find("progress=") == std::string::npos);

  CommandResult r = run_cli({"import", uuid, fixture_path("noaudio.jsonl"), "--replace", "--progress", "-"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CAPTURE(r.out);
  CHECK(r.out.find("stage=store\ndetections=") != std::string::npos);
  CHECK(r.out.find("detections=404\ntotal_detections=404\nspeed=") != std::string::npos);
  CHECK(r.out.find("progress=continue\n") != std::string::npos);
  size_t end = r.out.find("progress=end\n");
  REQUIRE(end != std::string::npos);
  // The command's own line follows the last block.
  CHECK(r.out.find("progress=", end + 1) == std::string::npos);
  CHECK(r.out.find("imported 404 detections", end) != std::string::npos);

  // Every line of a block is key=value.
  const std::string blocks = r.out.substr(0, end);
  for (std::string_view line : split(blocks, '\n')) {
    if (line.empty()) continue;
    CAPTURE(line);
    CHECK(line.find('=') != std::string_view::npos);
  }

  CommandResult unwritable = run_cli(
      {"import", uuid, fixture_path("noaudio.jsonl"), "--replace", "--progress", "/nonexistent/dir/progress.txt"});
  CHECK(unwritable.exit_code == 3);
  CHECK(unwritable.err.find("--progress") != std::string::npos);
}

TEST_CASE("progress: file add --progress FILE ends with the frame count and progress=end") {
  char path[] = "/tmp/frameserve-progress-XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  CommandResult added = run_cli({"file", "add", fixture_path("noaudio.mp4"), "--progress", path});
  CHECK(added.exit_code == 0);
  CHECK(added.err.find("progress=") == std::string::npos);
  std::string text = slurp(path);
  std::remove(path);
  CAPTURE(text);
  CHECK(text.find("stage=probe\n") != std::string::npos);
  CHECK(text.find("stage=index\nframes=150\ntotal_frames=150\n") != std::string::npos);
  CHECK(text.size() >= 13);
  CHECK(text.substr(text.size() - 13) == "progress=end\n");
}

TEST_CASE("progress: file add of a file numbered by a decode pass says so, with the frames it decodes") {
  char path[] = "/tmp/frameserve-progress-XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  CommandResult added = run_cli({"file", "add", fixture_path("xvid.avi"), "--progress", path});
  CHECK(added.exit_code == 0);
  std::string text = slurp(path);
  std::remove(path);
  CAPTURE(text);
  CHECK(text.find("stage=packets\n") != std::string::npos);
  // 75 frames, each in a packet of its own.
  CHECK(text.find("stage=decode\nframes=0\ntotal_frames=75\n") != std::string::npos);
  CHECK(text.find("stage=index\nframes=75\ntotal_frames=75\n") != std::string::npos);
  CHECK(text.substr(text.size() - 13) == "progress=end\n");
}

TEST_CASE("progress: clip, video, bbox-video and hls count encoded frames up to the total") {
  std::string uuid = register_own_fixture("noaudio.mp4");
  char dir[] = "/tmp/frameserve-progress-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string base(dir);
  const std::string progress = base + "/progress.txt";

  struct Case {
    std::string what;
    std::vector<std::string> args;
    std::string final_frames;
  };
  const std::vector<Case> cases = {
      {"clip",
       {"clip", uuid, "--start-frame", "10", "--end-frame", "69", "-o", base + "/clip.ts"},
       "frames=60\ntotal_frames=60\n"},
      // A copy starts at the keyframe before frame 10: frame 0 here.
      {"video",
       {"video", uuid, "--start-frame", "10", "--end-frame", "69", "-o", base + "/copy.mp4"},
       "frames=70\ntotal_frames=70\n"},
      {"bbox-video",
       {"bbox-video", uuid, "--start-frame", "0", "--end-frame", "59", "-o", base + "/bbox.mp4"},
       "frames=60\ntotal_frames=60\n"},
      {"hls",
       {"hls", uuid, "--start-frame", "0", "--end-frame", "149", "--segment-seconds", "2", "-o", base + "/hls"},
       "frames=150\ntotal_frames=150\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--progress", progress});
    CommandResult r = run_cli(args);
    CHECK(r.exit_code == 0);
    CAPTURE(r.err);
    // stderr is a pipe here: no progress line drawn, and no progress=
    // lines of ffmpeg's either.
    CHECK(r.err.find("progress=") == std::string::npos);
    CHECK(r.err.find("frame=") == std::string::npos);
    std::string text = slurp(progress);
    CAPTURE(text);
    CHECK(text.find("stage=encode\nframes=") != std::string::npos);
    // The last block: every frame of the total.
    size_t last = text.rfind("stage=encode\n");
    REQUIRE(last != std::string::npos);
    CHECK(text.find(c.final_frames, last) != std::string::npos);
    REQUIRE(text.size() >= 13);
    CHECK(text.substr(text.size() - 13) == "progress=end\n");
  }

  // Both on stdout would interleave progress with the video.
  CommandResult both = run_cli({"clip", uuid, "--start-frame", "0", "--end-frame", "9", "-o", "-", "--progress", "-"});
  CHECK(both.exit_code == 3);
  CHECK(both.err.find("--progress") != std::string::npos);
  std::filesystem::remove_all(base);
}
