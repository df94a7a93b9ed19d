#include "http/server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "common/log.hpp"
#include "http/access_log.hpp"
#include "http/connection_threads.hpp"
#include "http/responses.hpp"
#include "http/routes.hpp"
#include "process/drain.hpp"

namespace frameserve::http {

namespace {
// The routes whose handlers read their body themselves, in chunks
// (routes.cpp: POST /api/v1/files, PUT/POST .../detections).
bool reads_body_in_chunks(const httplib::Request& req) {
  if (req.method != "POST" && req.method != "PUT") return false;
  if (req.path == "/api/v1/files") return true;
  constexpr std::string_view k_suffix = "/detections";
  return req.path.rfind("/api/v1/file/", 0) == 0 && req.path.size() > k_suffix.size() &&
         req.path.compare(req.path.size() - k_suffix.size(), k_suffix.size(), k_suffix) == 0;
}
}  // namespace

int HttpServer::stream_limit_for(int threads) {
  int reserve = std::max(4, threads / 4);
  return std::max(1, threads - reserve);
}

HttpServer::HttpServer(app::AppContext& app, const app::ServerConfig& config)
    : m_config(config),
      m_watch(std::chrono::seconds(config.header_timeout_secs), std::chrono::seconds(k_keep_alive_secs)),
      m_streams(stream_limit_for(config.threads)),
      m_state{app, config, m_streams},
      m_router(m_server, m_state) {
  // --max-connections holds as given, also below --threads (it once took
  // the larger of the two: "--max-connections 8" served 32). A stream holds
  // a connection, so it bounds the streams too.
  int max_connections = config.max_connections;
  m_server.new_task_queue = [this, max_connections] { return new ConnectionThreads(m_watch, max_connections); };
  // httplib's default options add SO_REUSEPORT, with which a second server
  // on the same port binds too and the kernel splits connections between
  // the two. SO_REUSEADDR alone still allows a quick restart (TIME_WAIT).
  m_server.set_socket_options([this](int fd) {
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    m_listener_fd = fd;
  });
  m_server.set_read_timeout(10, 0);
  m_server.set_write_timeout(config.write_timeout_secs, 0);
  m_server.set_keep_alive_timeout(k_keep_alive_secs);
  m_server.set_keep_alive_max_count(100);
  // Imports (POST/PUT with a body, read in chunks by their handler) may be
  // up to --max-upload-bytes; the handler answers 413 beyond it and drops a
  // bounded remainder so the client gets the answer. Every other request's
  // body is buffered whole by httplib, so it stays capped at
  // k_max_buffered_body by the pre-routing handler below.
  m_server.set_payload_max_length(static_cast<size_t>(config.max_upload_bytes) + (size_t{32} << 20));
  // Without TCP_NODELAY the first small chunk of a stream waits for the ACK
  // of the response headers (Nagle + delayed ACK): ~40 ms of dead time
  // before the first byte. Accepted sockets inherit it from the listener.
  m_server.set_tcp_nodelay(true);

  m_server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ConnectionWatch::head_received(req.get_header_value<uint64_t>("Content-Length") > 0 ||
                                   req.has_header("Transfer-Encoding"));
    begin_request(req, res, m_config.trusted_proxies);
    // Which instance answered: behind a load balancer, for operators and
    // for the scale-out test.
    if (!m_config.instance_name.empty()) res.set_header("X-Served-By", m_config.instance_name);
    if (!reads_body_in_chunks(req) && req.get_header_value<uint64_t>("Content-Length") > k_max_buffered_body) {
      send_error(res, make_error(ErrorKind::payload_too_large, "payload_too_large",
                                 "a " + req.method + " request's body may hold at most " +
                                     std::to_string(k_max_buffered_body) + " bytes"));
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (process::draining() && req.path != "/healthz" && req.path != "/readyz" && req.path != "/metrics") {
      send_error(res, unavailable("draining", "the server is shutting down; retry (another instance will answer)", 1));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  m_server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    log_request(req, res);
    m_watch.response_sent();
  });
  httplib::Server::HandlerWithResponse on_error = [this](const httplib::Request& req, httplib::Response& res) {
    return m_router.handle_unrouted(req, res) ? httplib::Server::HandlerResponse::Handled
                                              : httplib::Server::HandlerResponse::Unhandled;
  };
  m_server.set_error_handler(on_error);
  m_server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    log::error("unexpected exception outside a route: " + log::field(req.method, 16) + " " +
               log::field(req.path, k_max_target_bytes));
    send_error(res, internal_error("an unexpected error occurred; see the server log"));
  });

  register_routes(m_router);
}

HttpServer::~HttpServer() { stop(); }

Result<int> HttpServer::bind() {
  int port = m_config.port;
  errno = 0;
  if (port == 0) {
    port = m_server.bind_to_any_port(m_config.host);
  } else if (!m_server.bind_to_port(m_config.host, port)) {
    port = -1;
  }
  if (port <= 0 || m_listener_fd < 0) {
    int error = errno;
    std::string reason = error == EADDRINUSE ? "the address is already in use (is another frameserve running?)"
                         : error != 0        ? std::string(std::strerror(error))
                                             : "the address is not available";
    return unavailable("bind_failed",
                       "cannot listen on " + m_config.host + ":" + std::to_string(m_config.port) + ": " + reason, 0);
  }
  // httplib listened with a backlog of 5: a burst of clients waited seconds
  // for SYN retransmissions. listen() again only raises the backlog.
  ::listen(m_listener_fd, k_listen_backlog);
  m_watch.set_listener(m_listener_fd, port);
  return port;
}

void HttpServer::serve() { m_server.listen_after_bind(); }

void HttpServer::drain_and_stop(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  process::begin_drain(deadline);
  auto& limiter = m_state.app.limiter();
  while (std::chrono::steady_clock::now() < deadline) {
    auto jobs = limiter.stats();
    if (jobs.running + jobs.parked + jobs.waiting == 0 && m_streams.active() == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (std::chrono::steady_clock::now() >= deadline) {
    // The pumps terminate their children at the deadline; a stream blocked
    // writing to a client that does not read learns it here.
    log::info("drain deadline reached: cutting the connections still open");
    m_watch.cut_all();
  }
  stop();
}

void HttpServer::stop() {
  if (m_server.is_running()) m_server.stop();
}

}  // namespace frameserve::http
