// TestServer: the real HttpServer, in this process, on a free loopback port,
// against the test database. Stopped and joined on destruction. Its services
// are built from its ServerConfig by app::app_options_for, as `serve` does.
#pragma once

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "app/app_context.hpp"
#include "app/config.hpp"
#include "http/server.hpp"

namespace frameserve::testing {

class TestServer {
 public:
  // `config.host` and `config.port` are ignored (127.0.0.1, a free port).
  // Start from test_config(): a config without a database (a plain
  // `app::ServerConfig{}`) throws std::logic_error saying so.
  explicit TestServer(app::ServerConfig config = test_config());
  ~TestServer();

  int port() const { return m_port; }
  // A client of this server; every response it receives is shown to the
  // response observer (see set_response_observer).
  httplib::Client client() const;
  app::AppContext& app() { return *m_app; }

  // `serve`'s defaults, with the test database, the shared JWT secret
  // ("test-secret"), two job slots, a 10 s queue wait and a segment cache
  // of this test process's own.
  static app::ServerConfig test_config();

 private:
  app::ServerConfig m_config;
  std::unique_ptr<app::AppContext> m_app;
  std::unique_ptr<http::HttpServer> m_server;
  std::thread m_thread;
  int m_port = 0;
};

// Sees every response a TestServer client receives (the request as sent,
// the response with its body). The test binary installs one that checks each
// against the OpenAPI document (support/contract_checks.hpp); the bench
// installs none.
using ResponseObserver = std::function<void(const httplib::Request&, const httplib::Response&)>;
void set_response_observer(ResponseObserver observer);
// Shows the responses `client` receives to the response observer; for
// clients of frameserve made without TestServer::client().
void observe_responses(httplib::Client& client);

// Headers carrying the shared all-files API key.
httplib::Headers key_headers(const std::string& key);

}  // namespace frameserve::testing
