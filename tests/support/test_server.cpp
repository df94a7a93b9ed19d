#include "support/test_server.hpp"

#include <unistd.h>

#include <chrono>
#include <stdexcept>

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

app::AppOptions TestServer::default_options() {
  app::AppOptions options;
  options.conninfo = test_conninfo();
  options.db_pool_size = 4;
  options.max_jobs = 2;
  options.stream_reserve = 1;
  options.jwt_secret = "test-secret";
  options.child_niceness = 10;  // as `frameserve serve` runs its children
  options.timeouts.queue_wait = std::chrono::milliseconds(10000);
  // A cache of this test process's own: never segments of an earlier build.
  options.segment_cache_dir = repo_root() + "/build/test-segment-cache/" + std::to_string(::getpid());
  return options;
}

TestServer::TestServer(app::ServerConfig config, app::AppOptions options) : m_config(std::move(config)) {
  m_config.host = "127.0.0.1";
  m_config.port = 0;
  m_config.jwt_secret = options.jwt_secret;
  auto app = app::AppContext::create(options);
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
