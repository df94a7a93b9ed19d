// NginxServer: a real nginx serving a directory on a free loopback port —
// the reference frameserve's /video Range handling is compared with.
#pragma once

#include <memory>
#include <string>

#include "process/child_process.hpp"

namespace frameserve::testing {

class NginxServer {
 public:
  // Serves `root` at http://127.0.0.1:port()/. Throws when nginx is missing.
  explicit NginxServer(const std::string& root);
  ~NginxServer();

  int port() const { return m_port; }

 private:
  std::string m_dir;
  int m_port = 0;
  std::unique_ptr<process::ChildProcess> m_process;
};

int free_port();

}  // namespace frameserve::testing
