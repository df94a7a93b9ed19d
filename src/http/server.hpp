// HttpServer: frameserve's HTTP front, on cpp-httplib.
//
// Sized for long-lived streams and hostile clients: a thread per connection
// started on demand up to --max-connections (ConnectionThreads), a total
// deadline for each request's head (ConnectionWatch), a listen backlog that
// takes a burst of connections, a stream gate that keeps a reserve of
// workers for short requests, a generous write timeout (a paused player is
// not a dead one), short keep-alive. The listening socket is exclusive
// (SO_REUSEADDR only): a port in use is a start-up error.
// bind() then serve() (blocking); stop() or drain_and_stop() from any thread.
#pragma once

#include <httplib.h>

#include <memory>

#include "app/app_context.hpp"
#include "app/config.hpp"
#include "common/result.hpp"
#include "http/connection_watch.hpp"
#include "http/request_context.hpp"
#include "http/router.hpp"
#include "http/stream_gate.hpp"

namespace frameserve::http {

class HttpServer {
 public:
  HttpServer(app::AppContext& app, const app::ServerConfig& config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds config.host:config.port (port 0: any free port) and returns the
  // port. Errors: `unavailable` (bind_failed) when the address is taken or
  // not available; the message says which.
  Result<int> bind();
  // Serves until stop(). Call after bind().
  void serve();
  void stop();
  // Graceful stop (SIGTERM): starts the drain (process/drain.hpp) — /readyz
  // answers 503, new requests other than /healthz, /readyz and /metrics get
  // 503 + Retry-After, no new ffmpeg job starts — waits until no job or
  // stream runs, or until `timeout`, when running jobs are terminated and
  // every connection still open is cut; then stop(). Never fails.
  void drain_and_stop(std::chrono::milliseconds timeout);
  bool running() const { return m_server.is_running(); }

  // Workers kept free of streams, so health checks and thumbnails still run.
  static int stream_limit_for(int threads);

  // Pending connections the kernel queues for accept() (httplib's is 5).
  static constexpr int k_listen_backlog = 1024;
  static constexpr int k_keep_alive_secs = 3;
  // Largest body of a request whose handler does not read it in chunks.
  static constexpr uint64_t k_max_buffered_body = 64 * 1024;

 private:
  const app::ServerConfig& m_config;
  ConnectionWatch m_watch;  // outlives the server's task queue
  int m_listener_fd = -1;
  httplib::Server m_server;
  StreamGate m_streams;
  ServerState m_state;
  Router m_router;
};

}  // namespace frameserve::http
