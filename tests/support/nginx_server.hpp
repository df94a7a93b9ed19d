// NginxServer: a real nginx on a free loopback port — either serving a
// directory (the reference frameserve's /video Range handling is compared
// with) or running a given configuration (nginx in front of frameserve).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "process/child_process.hpp"

namespace frameserve::testing {

class NginxServer {
 public:
  // Serves `root` at http://127.0.0.1:port()/. Throws when nginx is missing.
  explicit NginxServer(const std::string& root);
  // Runs the configuration `make_config(prefix, port)` returns as
  // `nginx -p PREFIX -c PREFIX/nginx.conf -g "daemon off;"` with a master and
  // workers, as deployed. PREFIX is a fresh directory readable by nginx's
  // workers. Throws when nginx is missing or does not start.
  using ConfigMaker = std::string (*)(const std::string& prefix, int port, const void* context);
  NginxServer(ConfigMaker make_config, const void* context);
  ~NginxServer();

  int port() const { return m_port; }
  const std::string& prefix() const { return m_dir; }
  // The text of a file under the prefix (e.g. "access.log"); empty if absent.
  std::string read_file(const std::string& name) const;

 private:
  void start(const std::vector<std::string>& argv);

  std::string m_dir;
  int m_port = 0;
  std::unique_ptr<process::ChildProcess> m_process;
};

int free_port();

// What the configuration `frameserve nginx-config` generates is made from:
// one frameserve on loopback, and the media roots nginx may send from.
struct ProxyTarget {
  int upstream_port = 0;
  std::vector<std::string> media_roots;
};

// A NginxServer::ConfigMaker: the generated configuration for a
// ProxyTarget (`context`), listening on 127.0.0.1:port, under `prefix`.
std::string generated_proxy_config(const std::string& prefix, int port, const void* context);

}  // namespace frameserve::testing
