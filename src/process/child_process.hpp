// ChildProcess: one supervised child (ffmpeg, ffprobe) started from an argv
// vector, never through a shell.
//
// Guarantees, whatever happens to the parent code path:
//  - The child never inherits our descriptors other than its stdio: every
//    fd >= 3 (client sockets, other children's pipes) is closed on exec.
//  - The child gets SIGKILL if this process dies (PR_SET_PDEATHSIG).
//  - The child is always reaped: the destructor terminates a child that is
//    still running (SIGTERM, a short grace period, SIGKILL) and waits for it,
//    so no zombie and no orphan is left behind.
//
// Boost.Process is used only to launch; the pid is owned here, because
// Boost's own terminate() sends SIGKILL without reaping.
//
// Thread-safety: an instance has one owner. Its pipes may be used by
// different threads (one writing stdin, one reading stdout), but the
// lifecycle calls (wait, terminate, destruction) belong to the owner.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "common/unique_fd.hpp"

namespace frameserve::process {

struct ExitStatus {
  bool exited = false;  // true: exited with `code`; false: killed by `signal`
  int code = 0;
  int signal = 0;

  bool success() const { return exited && code == 0; }
  std::string describe() const;  // "exit code 1", "killed by signal 9"
};

struct SpawnOptions {
  // argv[0] must be an absolute path (see ToolPaths): resolving it once at
  // start-up means a failed exec cannot surprise a request.
  std::vector<std::string> argv;
  // When false, the child's stdin is /dev/null (ffmpeg gets -nostdin too).
  // When true, stdin is a blocking pipe: a write waits while the child is
  // not reading, so only a thread that may block writes it (StreamJob's
  // feeder), and it is unblocked by terminating the child (EPIPE; SIGPIPE
  // is ignored in our process and reset to default in the child).
  bool pipe_stdin = false;
  // Kernel buffer size requested for the stdout/stdin pipes (F_SETPIPE_SZ).
  // Larger pipes mean fewer wake-ups for raw video; 0 keeps the default.
  int pipe_size = 1 << 20;
};

// The CPU niceness (nice(1)) every child starts with from now on. The server
// sets 10 (--ffmpeg-nice): encodes can fill every core, and at a lower
// priority they never delay the server's own threads, so a 503, /healthz or a
// stream's first byte is answered at once while ffmpeg works; with nothing
// else to run, ffmpeg still gets every core. The CLI keeps 0. Thread-safe;
// set once at start-up, before children are spawned.
void set_child_niceness(int niceness);

class ChildProcess {
 public:
  // Starts the child with stdout and stderr connected to pipes. Returns
  // `internal` if the program cannot be executed.
  static Result<std::unique_ptr<ChildProcess>> spawn(const SpawnOptions& options);

  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return m_pid; }

  // Parent ends of the pipes, -1 once closed. Non-blocking is not set; use
  // poll(2) before reading where a read must not block.
  int stdin_fd() const { return m_stdin.get(); }
  int stdout_fd() const { return m_stdout.get(); }
  int stderr_fd() const { return m_stderr.get(); }
  void close_stdin() { m_stdin.reset(); }
  void close_stdout() { m_stdout.reset(); }
  void close_stderr() { m_stderr.reset(); }

  // Reaps the child if it has exited; never blocks.
  std::optional<ExitStatus> try_wait();
  // Blocks until the child exits.
  ExitStatus wait();
  // SIGTERM, then SIGKILL after `grace`, then a blocking wait. Idempotent:
  // returns the recorded status if the child was already reaped.
  ExitStatus terminate(std::chrono::milliseconds grace = k_default_grace);
  // Gives a child that is finishing on its own `patience` to exit, then
  // terminates it. Used after its stdout reached EOF.
  ExitStatus wait_or_terminate(std::chrono::milliseconds patience);
  bool reaped() const { return m_status.has_value(); }

  static constexpr std::chrono::milliseconds k_default_grace{300};

 private:
  ChildProcess() = default;

  pid_t m_pid = -1;
  UniqueFd m_stdin;
  UniqueFd m_stdout;
  UniqueFd m_stderr;
  std::optional<ExitStatus> m_status;
};

}  // namespace frameserve::process
