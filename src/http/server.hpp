// HttpServer: frameserve's HTTP front, on cpp-httplib.
//
// Sized for long-lived streams: a fixed pool of worker threads, a stream
// gate that keeps a reserve of workers for short requests, a generous write
// timeout (a paused player is not a dead one), short keep-alive.
// bind() then serve() (blocking); stop() from any thread.
#pragma once

#include <httplib.h>

#include <memory>

#include "app/app_context.hpp"
#include "app/config.hpp"
#include "common/result.hpp"
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
  // port. Errors: `unavailable` when the address is taken.
  Result<int> bind();
  // Serves until stop(). Call after bind().
  void serve();
  void stop();
  bool running() const { return m_server.is_running(); }

  // Workers kept free of streams, so health checks and thumbnails still run.
  static int stream_limit_for(int threads);

 private:
  const app::ServerConfig& m_config;
  httplib::Server m_server;
  StreamGate m_streams;
  ServerState m_state;
  Router m_router;
};

}  // namespace frameserve::http
