#include "process/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/pipe.hpp>
#include <cerrno>
#include <thread>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace bp = boost::process;

namespace frameserve::process {

std::string ExitStatus::describe() const {
  if (exited) return "exit code " + std::to_string(code);
  return "killed by signal " + std::to_string(signal);
}

namespace {

// Runs in the forked child before exec: only async-signal-safe calls here.
std::atomic<int> g_child_niceness{0};

struct ChildSetup : bp::extend::handler {
  pid_t parent_pid;
  int niceness = 0;

  template <typename Executor>
  void on_exec_setup(Executor&) const {
    // Die with the parent. PR_SET_PDEATHSIG fires when the *thread* that
    // forked exits; our spawning threads (the HTTP pool, the CLI's main
    // thread) live as long as the process, so this matches "with frameserve".
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent_pid) ::_exit(127);  // the parent died before prctl
    // Best effort: a child at normal priority still works.
    if (niceness != 0) (void)::setpriority(PRIO_PROCESS, 0, niceness);

    // The server ignores SIGPIPE; ffmpeg must see it again so that a closed
    // pipe ends it instead of leaving it spinning on EPIPE.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) ::sigaction(sig, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);

    // No inherited descriptors beyond stdio: client sockets and other
    // children's pipes are not close-on-exec in our dependencies. Marking
    // them CLOEXEC (rather than closing) keeps Boost's exec-error pipe
    // working until exec succeeds.
    if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
      long max_fd = ::sysconf(_SC_OPEN_MAX);
      if (max_fd < 0 || max_fd > 65536) max_fd = 65536;
      for (int fd = 3; fd < max_fd; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
  }

  // A failed exec leaves a child that already called _exit: reap it here,
  // where its pid is still known.
  template <typename Executor>
  void on_error(Executor& executor, const std::error_code&) const {
    if (executor.pid > 0) {
      int status = 0;
      while (::waitpid(executor.pid, &status, 0) < 0 && errno == EINTR) {}
    }
  }
};

ExitStatus decode_status(int status) {
  ExitStatus result;
  if (WIFEXITED(status)) {
    result.exited = true;
    result.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

void set_cloexec(int fd) {
  if (fd >= 0) ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
}

}  // namespace

void set_child_niceness(int niceness) { g_child_niceness.store(niceness, std::memory_order_relaxed); }

Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(const SpawnOptions& options) {
  if (options.argv.empty() || options.argv[0].empty() || options.argv[0][0] != '/') {
    return internal_error("spawn needs an absolute program path");
  }
  std::vector<std::string> args(options.argv.begin() + 1, options.argv.end());
  bp::pipe out_pipe;
  bp::pipe err_pipe;
  bp::pipe in_pipe;
  std::error_code ec;
  ChildSetup setup;
  setup.parent_pid = ::getpid();
  setup.niceness = g_child_niceness.load(std::memory_order_relaxed);

  bp::child launched;
  if (options.pipe_stdin) {
    launched = bp::child(bp::exe = options.argv[0], bp::args = args, bp::std_in<in_pipe, bp::std_out> out_pipe,
                         bp::std_err > err_pipe, setup, ec);
  } else {
    launched = bp::child(bp::exe = options.argv[0], bp::args = args, bp::std_in<bp::null, bp::std_out> out_pipe,
                         bp::std_err > err_pipe, setup, ec);
  }
  if (ec) {
    return internal_error("cannot start " + options.argv[0] + ": " + ec.message());
  }

  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->m_pid = launched.id();
  // From here on the pid is ours: Boost must neither kill nor wait for it.
  launched.detach();

  // Take the parent ends out of the Boost pipes so that their destructors
  // do not close them, and mark them close-on-exec for later spawns.
  child->m_stdout.reset(out_pipe.native_source());
  out_pipe.assign_source(-1);
  child->m_stderr.reset(err_pipe.native_source());
  err_pipe.assign_source(-1);
  if (options.pipe_stdin) {
    child->m_stdin.reset(in_pipe.native_sink());
    in_pipe.assign_sink(-1);
  }
  if (options.pipe_size > 0) {
    // Best effort: the limit is /proc/sys/fs/pipe-max-size for unprivileged use.
    ::fcntl(child->m_stdout.get(), F_SETPIPE_SZ, options.pipe_size);
    if (child->m_stdin.valid()) ::fcntl(child->m_stdin.get(), F_SETPIPE_SZ, options.pipe_size);
  }
  set_cloexec(child->m_stdout.get());
  set_cloexec(child->m_stderr.get());
  set_cloexec(child->m_stdin.get());
  return child;
}

ChildProcess::~ChildProcess() {
  // Closing our ends first lets a child blocked on a pipe notice at once.
  m_stdin.reset();
  m_stdout.reset();
  m_stderr.reset();
  terminate();
}

std::optional<ExitStatus> ChildProcess::try_wait() {
  if (m_status) return m_status;
  int status = 0;
  pid_t r = ::waitpid(m_pid, &status, WNOHANG);
  if (r == m_pid) {
    m_status = decode_status(status);
  } else if (r < 0 && errno == ECHILD) {
    // Someone else reaped it; nothing more can be learnt.
    m_status = ExitStatus{false, 0, 0};
  }
  return m_status;
}

ExitStatus ChildProcess::wait() {
  if (m_status) return *m_status;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(m_pid, &status, 0);
  } while (r < 0 && errno == EINTR);
  m_status = (r == m_pid) ? decode_status(status) : ExitStatus{false, 0, 0};
  return *m_status;
}

ExitStatus ChildProcess::wait_or_terminate(std::chrono::milliseconds patience) {
  auto deadline = std::chrono::steady_clock::now() + patience;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto done = try_wait()) return *done;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return terminate();
}

ExitStatus ChildProcess::terminate(std::chrono::milliseconds grace) {
  if (m_pid <= 0) return ExitStatus{};
  if (auto done = try_wait()) return *done;
  ::kill(m_pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto done = try_wait()) return *done;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(m_pid, SIGKILL);
  return wait();
}

}  // namespace frameserve::process
