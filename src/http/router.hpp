// Router: the route table and the rules every route shares.
//
// Routes are registered in one list (routes.cpp), in three kinds: public
// (no credentials), authenticated (401 without valid credentials; the
// handler gets the caller, e.g. to list only what it may see), and file
// routes. File routes —
// /api/v1/file/:file_uuid/... — go through the same gate, in this order:
//   401 without valid credentials, 400 for a malformed file_uuid,
//   403 when the credentials do not cover the file, 404 for an unknown file,
// and only then reach their handler with the file resolved. Media routes
// (those whose handler reads the video: frames, clips, streams) also check
// that the file on disk is still the registered one, right after: 410
// "file_missing" when it is gone, 409 "file_changed" when it was replaced. Write routes
// (POST/PUT/DELETE) answer 403 "insufficient_scope" to read credentials,
// right after authentication; those with a body read it themselves through
// RequestContext::body, in chunks, and a body they leave unread is drained
// (up to the upload cap) so the connection can be reused. A handler
// returns a Status; an error becomes the JSON error envelope. Exceptions
// are caught here, logged, and answered with a JSON 500.
#pragma once

#include <httplib.h>

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "http/request_context.hpp"

namespace frameserve::http {

using Handler = std::function<Status(RequestContext&)>;

// One registered route: its method and its path pattern (a regex whose
// groups are the path parameters, in order). GET routes also answer HEAD.
struct RouteInfo {
  std::string method;
  std::string pattern;
};

class Router {
 public:
  Router(httplib::Server& server, ServerState& state) : m_server(&server), m_state(&state) {}
  // A router that only records what is registered and serves nothing:
  // route_table() uses it to list the routes without a server or database.
  Router() = default;

  // GET (and HEAD) route without authentication.
  void get_public(const std::string& pattern, Handler handler);
  // GET (and HEAD) route that needs valid credentials but no file; the
  // handler finds the caller in RequestContext::principal.
  void get_authenticated(const std::string& pattern, Handler handler);
  // GET (and HEAD) route under /api/v1/file/:file_uuid; the pattern's first
  // capture is the file_uuid, later captures land in RequestContext::params.
  void get_file(const std::string& pattern, Handler handler);
  // A get_file route whose handler reads the file's bytes: the file is
  // checked on disk first (import::require_unchanged).
  void get_media(const std::string& pattern, Handler handler);
  // A POST under /api/v1/file/:file_uuid that only reads (its body is a
  // query too long for a URL, e.g. a frame batch): gated like get_media,
  // read scope suffices; the handler reads its body.
  void post_media(const std::string& pattern, Handler handler);
  // A write (method POST, PUT or DELETE) that needs write-scoped credentials
  // but no file, e.g. POST /api/v1/files.
  void write_authenticated(const std::string& method, const std::string& pattern, Handler handler);
  // A write under /api/v1/file/:file_uuid, gated like get_file plus the
  // write scope.
  void write_file(const std::string& method, const std::string& pattern, Handler handler);

  // Answers requests no handler took: 405 for a known path with another
  // method, 404 otherwise. Also re-runs a route for a request that httplib
  // refused before routing (an unparsable Range header), so that the route
  // itself decides (416 or 200, as nginx would). Returns false when it did
  // nothing.
  bool handle_unrouted(const httplib::Request& req, httplib::Response& res);

  // Every route registered so far, in registration order; cannot fail.
  std::vector<RouteInfo> routes() const;

  // A route pattern as a template: each capture becomes a :name taken from
  // the segment before it (file → :file_uuid, trace → :trace_id, …), so
  // metrics are labelled by route, never by raw path (no uuid explosion).
  static std::string template_of(const std::string& pattern);

 private:
  enum class Access { open, authenticated, file, media };
  struct Route {
    std::string method;
    std::string pattern;
    std::string label;  // the template for metrics: /api/v1/file/:file_uuid/trace/:trace_id/video
    std::regex regex;
    Access access;
    bool write;
    Handler handler;
  };
  void add(const std::string& method, const std::string& pattern, Access access, bool write, Handler handler);
  // 401 unless the request carries valid credentials; sets ctx.principal.
  Status authenticate(RequestContext& ctx);
  void run(const Route& route, const httplib::Request& req, httplib::Response& res, const std::smatch& match,
           const httplib::ContentReader* body = nullptr);
  Status run_route(const Route& route, RequestContext& ctx, const std::smatch& match);
  // Reads and discards what a handler left of a body, up to the upload
  // cap; beyond it the connection is closed instead.
  void drain_body(RequestContext& ctx);
  Status run_file_route(const Route& route, RequestContext& ctx, const std::smatch& match);

  // Both null in a recording router.
  httplib::Server* m_server = nullptr;
  ServerState* m_state = nullptr;
  std::vector<Route> m_routes;
};

}  // namespace frameserve::http
