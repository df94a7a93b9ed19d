#include "http/server.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "http/access_log.hpp"
#include "http/responses.hpp"
#include "http/routes.hpp"

namespace frameserve::http {

int HttpServer::stream_limit_for(int threads) {
  int reserve = std::max(4, threads / 4);
  return std::max(1, threads - reserve);
}

HttpServer::HttpServer(app::AppContext& app, const app::ServerConfig& config)
    : m_config(config),
      m_streams(stream_limit_for(config.threads)),
      m_state{app, config, m_streams},
      m_router(m_server, m_state) {
  int threads = std::max(2, config.threads);
  m_server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  m_server.set_read_timeout(10, 0);
  m_server.set_write_timeout(config.write_timeout_secs, 0);
  m_server.set_keep_alive_timeout(3);
  m_server.set_keep_alive_max_count(100);
  m_server.set_payload_max_length(64 * 1024);
  // Without TCP_NODELAY the first small chunk of a stream waits for the ACK
  // of the response headers (Nagle + delayed ACK): ~40 ms of dead time
  // before the first byte. Accepted sockets inherit it from the listener.
  m_server.set_tcp_nodelay(true);

  m_server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    begin_request(req, res, m_config.trusted_proxies);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  m_server.set_logger([](const httplib::Request& req, const httplib::Response& res) { log_request(req, res); });
  httplib::Server::HandlerWithResponse on_error = [this](const httplib::Request& req, httplib::Response& res) {
    return m_router.handle_unrouted(req, res) ? httplib::Server::HandlerResponse::Handled
                                              : httplib::Server::HandlerResponse::Unhandled;
  };
  m_server.set_error_handler(on_error);
  m_server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    log::error("unexpected exception outside a route: " + req.method + " " + req.path);
    send_error(res, internal_error("an unexpected error occurred; see the server log"));
  });

  register_routes(m_router);
}

HttpServer::~HttpServer() { stop(); }

Result<int> HttpServer::bind() {
  int port = m_config.port;
  if (port == 0) {
    port = m_server.bind_to_any_port(m_config.host);
  } else if (!m_server.bind_to_port(m_config.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return unavailable("bind_failed", "cannot listen on " + m_config.host + ":" + std::to_string(m_config.port) +
                                          " (address in use or not available)", 0);
  }
  return port;
}

void HttpServer::serve() { m_server.listen_after_bind(); }

void HttpServer::stop() {
  if (m_server.is_running()) m_server.stop();
}

}  // namespace frameserve::http
