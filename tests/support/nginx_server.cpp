#include "support/nginx_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include "app/nginx_config.hpp"
#include "process/tool_paths.hpp"
#include "support/test_env.hpp"
#include "support/wait_until.hpp"

namespace frameserve::testing {

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

namespace {
bool port_open(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}
}  // namespace

namespace {
// Debian's nginx, or FRAMESERVE_NGINX (e.g. to check that a test that needs
// nginx fails without it).
std::string nginx_path() { return env_or("FRAMESERVE_NGINX", "/usr/sbin/nginx"); }

std::string make_prefix() {
  if (::access(nginx_path().c_str(), X_OK) != 0) throw std::runtime_error(nginx_path() + " is not installed");
  char tmpl[] = "/tmp/frameserve-nginx.XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  // As root, nginx's workers run as `nobody`: they must reach the prefix.
  ::chmod(tmpl, 0755);
  return tmpl;
}
}  // namespace

NginxServer::NginxServer(const std::string& root) {
  m_dir = make_prefix();
  m_port = free_port();
  std::ofstream conf(m_dir + "/nginx.conf");
  // Tuned as `frameserve nginx-config` tunes its nginx (workers per core,
  // sendfile with tcp_nopush), so that the bench compares the detour
  // through frameserve, not two nginx configurations.
  conf << "worker_processes auto;\nerror_log " << m_dir << "/error.log;\npid " << m_dir
       << "/nginx.pid;\nevents { worker_connections 64; }\nhttp {\n  include /etc/nginx/mime.types;\n"
       << "  access_log off;\n  client_body_temp_path " << m_dir << ";\n  proxy_temp_path " << m_dir
       << ";\n  fastcgi_temp_path " << m_dir << ";\n  uwsgi_temp_path " << m_dir << ";\n  scgi_temp_path " << m_dir
       << ";\n  sendfile on;\n  tcp_nopush on;\n  server { listen 127.0.0.1:" << m_port << "; root " << root
       << "; }\n}\n";
  conf.close();
  start({nginx_path(), "-p", m_dir, "-c", m_dir + "/nginx.conf", "-g", "daemon off;"});
}

NginxServer::NginxServer(ConfigMaker make_config, const void* context) {
  m_dir = make_prefix();
  m_port = free_port();
  std::ofstream conf(m_dir + "/nginx.conf");
  conf << make_config(m_dir, m_port, context);
  conf.close();
  start({nginx_path(), "-p", m_dir, "-c", m_dir + "/nginx.conf", "-g", "daemon off;"});
}

void NginxServer::start(const std::vector<std::string>& argv) {
  auto child = process::ChildProcess::spawn(process::SpawnOptions{argv, false});
  if (!child) throw std::runtime_error(child.error().message);
  m_process = std::move(child.value());
  bool exited = false;
  wait_until([&] { return port_open(m_port) || (exited = m_process->try_wait().has_value()); });
  if (exited || !port_open(m_port)) {
    throw std::runtime_error("nginx did not start; see " + m_dir + "/error.log: " + read_file("error.log"));
  }
}

std::string NginxServer::read_file(const std::string& name) const {
  std::ifstream in(m_dir + "/" + name);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string generated_proxy_config(const std::string& prefix, int port, const void* context) {
  const auto& target = *static_cast<const ProxyTarget*>(context);
  app::NginxConfigOptions options;
  options.listen = "127.0.0.1:" + std::to_string(port);
  options.upstreams = {"127.0.0.1:" + std::to_string(target.upstream_port)};
  options.prefix = prefix;
  options.media_roots = target.media_roots;
  auto text = app::render_nginx_config(options);
  if (!text) throw std::runtime_error(text.error().message);
  return text.value();
}

NginxServer::~NginxServer() {
  m_process.reset();
  run_command({"/bin/rm", "-rf", m_dir});
}

}  // namespace frameserve::testing
