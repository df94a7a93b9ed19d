#include "support/server_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/test_env.hpp"
#include "support/wait_until.hpp"

namespace frameserve::testing {

ServerProcess::ServerProcess(const std::vector<std::string>& serve_args) {
  // --log-level warn: nobody drains its stderr, so it must stay quiet.
  std::vector<std::string> argv = {frameserve_bin(), "--db",  test_conninfo(), "--log-level",
                                   "warn",           "serve", "--port",        "0"};
  argv.insert(argv.end(), serve_args.begin(), serve_args.end());
  auto spawned = process::ChildProcess::spawn(process::SpawnOptions{argv, false});
  if (!spawned) throw std::runtime_error("cannot start frameserve: " + spawned.error().message);
  m_process = std::move(spawned.value());
  // The banner "frameserve listening on http://HOST:PORT" ends the start-up.
  std::string banner;
  char c;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (banner.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    if (::read(m_process->stdout_fd(), &c, 1) != 1) break;
    banner.push_back(c);
  }
  size_t colon = banner.rfind(':');
  if (banner.find("listening") == std::string::npos || colon == std::string::npos) {
    throw std::runtime_error("frameserve did not start: " + banner);
  }
  m_port = std::stoi(banner.substr(colon + 1));
}

ServerProcess::~ServerProcess() {
  if (!m_process->reaped()) {
    ::kill(m_process->pid(), SIGKILL);
    m_process->wait();
  }
}

void ServerProcess::signal(int signal) {
  if (!m_process->reaped()) ::kill(m_process->pid(), signal);
}

std::optional<process::ExitStatus> ServerProcess::wait_exit(std::chrono::milliseconds within) {
  std::optional<process::ExitStatus> status;
  wait_until([&] { return (status = m_process->try_wait()).has_value(); }, within);
  return status;
}

std::vector<pid_t> children_named(pid_t parent, const std::string& comm) {
  std::vector<pid_t> found;
  CommandResult ps = run_command({"/bin/ps", "-o", "pid=,ppid=,comm=", "-e"});
  std::istringstream lines(ps.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    pid_t pid = 0, ppid = 0;
    std::string name;
    if (fields >> pid >> ppid >> name && ppid == parent && name == comm) found.push_back(pid);
  }
  return found;
}

bool process_dead(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  return content.empty() || content.find(") Z") != std::string::npos;
}

std::vector<pid_t> still_alive(const std::vector<pid_t>& pids, std::chrono::milliseconds within) {
  std::vector<pid_t> alive;
  wait_until(
      [&] {
        alive.clear();
        for (pid_t pid : pids) {
          if (!process_dead(pid)) alive.push_back(pid);
        }
        return alive.empty();
      },
      within);
  return alive;
}

}  // namespace frameserve::testing
