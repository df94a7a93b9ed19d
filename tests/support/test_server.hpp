// TestServer: the real HttpServer, in this process, on a free loopback port,
// against the test database. Stopped and joined on destruction.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "app/app_context.hpp"
#include "app/config.hpp"
#include "http/server.hpp"

namespace frameserve::testing {

class TestServer {
 public:
  // `config.port` is ignored (a free port is chosen).
  explicit TestServer(app::ServerConfig config = {}, app::AppOptions options = default_options());
  ~TestServer();

  int port() const { return m_port; }
  httplib::Client client() const;
  app::AppContext& app() { return *m_app; }

  static app::AppOptions default_options();

 private:
  app::ServerConfig m_config;
  std::unique_ptr<app::AppContext> m_app;
  std::unique_ptr<http::HttpServer> m_server;
  std::thread m_thread;
  int m_port = 0;
};

// Headers carrying the shared all-files API key.
httplib::Headers key_headers(const std::string& key);

}  // namespace frameserve::testing
