// RequestContext: what a resource handler gets — the request, the response
// to fill, the application's services and, for file routes, the caller and
// the file, already authenticated, authorized and resolved.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>
#include <vector>

#include "app/app_context.hpp"
#include "app/config.hpp"
#include "auth/authenticator.hpp"
#include "db/media_catalog.hpp"
#include "http/stream_gate.hpp"

namespace frameserve::http {

// Server-wide state shared by handlers.
struct ServerState {
  app::AppContext& app;
  const app::ServerConfig& config;
  StreamGate& streams;
};

struct RequestContext {
  const httplib::Request& req;
  httplib::Response& res;
  ServerState& server;
  std::optional<auth::Principal> principal;
  db::ResolvedFile file;            // file routes only
  std::vector<std::string> params;  // path captures after the file_uuid
  // Write routes with a body (POST, PUT): reads it in chunks. Null otherwise.
  const httplib::ContentReader* body = nullptr;
  bool body_read = false;  // set by whoever called `body`

  app::AppContext& app() { return server.app; }
  const media::MediaFile& media() const { return *file.media; }
  bool is_head() const { return req.method == "HEAD"; }
};

}  // namespace frameserve::http
