// ServerProcess: the real frameserve binary as a separate process
// (`frameserve --db <test db> serve --port 0 ...`), for tests that signal
// or kill it: drain on SIGTERM, no orphans after SIGKILL, several instances
// behind nginx. Killed (SIGKILL) and reaped on destruction if still running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "process/child_process.hpp"

namespace frameserve::testing {

class ServerProcess {
 public:
  // Starts the server with `serve_args` after `serve --port 0` and waits
  // for its banner. Throws std::runtime_error when it does not start.
  explicit ServerProcess(const std::vector<std::string>& serve_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return m_port; }
  pid_t pid() const { return m_process->pid(); }

  // Sends `signal` (SIGTERM, SIGKILL…). No-op once reaped.
  void signal(int signal);
  // Waits up to `within` for the process to exit; nullopt while it runs.
  std::optional<process::ExitStatus> wait_exit(std::chrono::milliseconds within);

 private:
  std::unique_ptr<process::ChildProcess> m_process;
  int m_port = 0;
};

// The pids of processes named `comm` whose parent is `parent`.
std::vector<pid_t> children_named(pid_t parent, const std::string& comm);
// True when `pid` no longer exists or is a zombie (it has died).
bool process_dead(pid_t pid);
// Waits up to `within` for every pid to be dead; returns those still alive.
std::vector<pid_t> still_alive(const std::vector<pid_t>& pids, std::chrono::milliseconds within);

}  // namespace frameserve::testing
