#include "support/test_server.hpp"

#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <utility>

#include "app/server_options.hpp"

#include "support/test_env.hpp"
#include "support/wait_until.hpp"

namespace frameserve::testing {

namespace {
// Set once by the test binary's main before any test runs, read by the
// clients' threads afterwards.
ResponseObserver& response_observer() {
  static ResponseObserver observer;
  return observer;
}
}  // namespace

void set_response_observer(ResponseObserver observer) { response_observer() = std::move(observer); }

void observe_responses(httplib::Client& client) {
  if (!response_observer()) return;
  client.set_logger([](const httplib::Request& req, const httplib::Response& res) { response_observer()(req, res); });
}

app::ServerConfig TestServer::test_config() {
  app::ServerConfig config;
  config.db_conninfo = test_conninfo();
  config.db_pool_size = 4;
  config.max_jobs = 2;
  config.stream_reserve = 1;
  config.jwt_secret = "test-secret";
  config.queue_wait_ms = 10000;
  // Tests send bursts beyond serve's 4 waiters per slot and want them queued.
  config.max_queue = 256;
  // A cache of this test process's own: never segments of an earlier build.
  config.cache_dir = repo_root() + "/build/test-segment-cache/" + std::to_string(::getpid());
  return config;
}

TestServer::TestServer(app::ServerConfig config) {
  // An empty conninfo would reach the embedded cluster of `make run`, not
  // the test database: a test must start from test_config().
  if (config.db_conninfo.empty()) {
    throw std::logic_error("TestServer: start from TestServer::test_config(), not an empty app::ServerConfig");
  }
  config.host = "127.0.0.1";
  config.port = 0;
  m_config = app::with_machine_defaults(std::move(config));
  auto app = app::AppContext::create(app::app_options_for(m_config));
  if (!app) throw std::runtime_error(app.error().message);
  m_app = std::move(app.value());
  m_server = std::make_unique<http::HttpServer>(*m_app, m_config);
  auto port = m_server->bind();
  if (!port) throw std::runtime_error(port.error().message);
  m_port = port.value();
  m_thread = std::thread([this] { m_server->serve(); });
  if (!wait_until([this] { return m_server->running(); }, k_patience, std::chrono::milliseconds(2))) {
    throw std::runtime_error("test server did not start");
  }
}

TestServer::~TestServer() {
  m_server->stop();
  if (m_thread.joinable()) m_thread.join();
}

httplib::Client TestServer::client() const {
  httplib::Client client("127.0.0.1", m_port);
  client.set_read_timeout(120, 0);
  client.set_connection_timeout(5, 0);
  observe_responses(client);
  return client;
}

httplib::Headers key_headers(const std::string& key) { return {{"X-API-Key", key}}; }

}  // namespace frameserve::testing
