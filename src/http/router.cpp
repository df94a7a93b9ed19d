#include "http/router.hpp"

#include <algorithm>
#include <ctime>

#include "common/file_uuid.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "http/access_log.hpp"
#include "http/body_length.hpp"
#include "http/query_params.hpp"
#include "http/responses.hpp"
#include "import/file_registration.hpp"

namespace frameserve::http {

namespace {
// The credential a request carries. One rule, as for every query parameter
// (QueryParams): a credential given twice -- two access_token parameters,
// two X-API-Key or two Authorization headers -- or two kinds of credential
// at once is a 400 naming them, never silently the first or the header.
// An Authorization header that is not a bearer token (a proxy's Basic
// credentials) is not one of ours and counts only when given twice.
// Errors: `invalid_argument` ("invalid_parameter").
Result<auth::Credentials> credentials_of(const httplib::Request& req) {
  for (const char* header : {"X-API-Key", "Authorization"}) {
    if (req.get_header_value_count(header) > 1) {
      return invalid_argument("invalid_parameter",
                              std::string("the ") + header + " header was given more than once; send one credential");
    }
  }
  // Browsers cannot add headers to <video src>: a token in the query string
  // is accepted too (and masked in the access log).
  auto access_token = QueryParams(req).text("access_token");
  if (!access_token) return access_token.error();
  auth::Credentials c;
  c.access_token = std::move(access_token.value());
  if (req.has_header("X-API-Key")) c.api_key = req.get_header_value("X-API-Key");
  if (req.has_header("Authorization")) {
    std::string value = req.get_header_value("Authorization");
    if (value.size() > 7 && iequals(std::string_view(value).substr(0, 7), "bearer ")) {
      c.bearer = std::string(trim(std::string_view(value).substr(7)));
    }
  }
  std::vector<std::string> given;
  if (c.api_key) given.push_back("X-API-Key");
  if (c.bearer) given.push_back("Authorization: Bearer");
  if (c.access_token) given.push_back("access_token");
  if (given.size() > 1) {
    std::string list;
    for (size_t i = 0; i < given.size(); ++i) list += (i == 0 ? "" : i + 1 == given.size() ? " and " : ", ") + given[i];
    return invalid_argument("invalid_parameter", "a credential was given more than once (" + list +
                                                     "); send exactly one of X-API-Key, Authorization: Bearer or "
                                                     "access_token");
  }
  return c;
}
}  // namespace

std::string Router::template_of(const std::string& pattern) {
  static const std::string k_capture = "([^/]+)";
  std::string out;
  size_t at = 0;
  while (true) {
    size_t found = pattern.find(k_capture, at);
    if (found == std::string::npos) break;
    out += pattern.substr(at, found - at);
    // The segment before the capture names it.
    size_t slash = out.find_last_of('/', out.size() >= 2 ? out.size() - 2 : 0);
    std::string before = out.size() >= 2 ? out.substr(slash + 1, out.size() - slash - 2) : "";
    out += before == "file"            ? ":file_uuid"
           : before == "trace"         ? ":trace_id"
           : before == "identities"    ? ":identity_uuid"
           : before == "co-occur-with" ? ":other_identity_uuid"
                                       : ":param";
    at = found + k_capture.size();
  }
  return out + pattern.substr(at);
}

void Router::add(const std::string& method, const std::string& pattern, Access access, bool write, Handler handler) {
  m_routes.push_back(
      Route{method, pattern, template_of(pattern), std::regex(pattern), access, write, std::move(handler)});
  if (!m_server) return;  // a recording router serves nothing
  size_t index = m_routes.size() - 1;
  auto plain = [this, index](const httplib::Request& req, httplib::Response& res) {
    std::smatch match;
    const Route& route = m_routes[index];
    std::regex_match(req.path, match, route.regex);
    run(route, req, res, match);
  };
  // Bodies are read by the handler as they arrive, never buffered whole by
  // httplib: an import can be hundreds of megabytes.
  auto with_body = [this, index](const httplib::Request& req, httplib::Response& res,
                                 const httplib::ContentReader& reader) {
    std::smatch match;
    const Route& route = m_routes[index];
    std::regex_match(req.path, match, route.regex);
    run(route, req, res, match, &reader);
  };
  if (method == "GET")
    m_server->Get(pattern, plain);
  else if (method == "POST")
    m_server->Post(pattern, httplib::Server::HandlerWithContentReader(with_body));
  else if (method == "PUT")
    m_server->Put(pattern, httplib::Server::HandlerWithContentReader(with_body));
  else if (method == "DELETE")
    m_server->Delete(pattern, plain);
}

void Router::get_public(const std::string& pattern, Handler handler) {
  add("GET", pattern, Access::open, false, std::move(handler));
}
void Router::get_authenticated(const std::string& pattern, Handler handler) {
  add("GET", pattern, Access::authenticated, false, std::move(handler));
}
void Router::get_file(const std::string& pattern, Handler handler) {
  add("GET", pattern, Access::file, false, std::move(handler));
}
void Router::get_media(const std::string& pattern, Handler handler) {
  add("GET", pattern, Access::media, false, std::move(handler));
}
void Router::post_media(const std::string& pattern, Handler handler) {
  add("POST", pattern, Access::media, false, std::move(handler));
}
void Router::write_authenticated(const std::string& method, const std::string& pattern, Handler handler) {
  add(method, pattern, Access::authenticated, true, std::move(handler));
}
void Router::write_file(const std::string& method, const std::string& pattern, Handler handler) {
  add(method, pattern, Access::file, true, std::move(handler));
}

void Router::drain_body(RequestContext& ctx) {
  if (!ctx.body || ctx.body_read) return;
  ctx.body_read = true;
  // Closing a connection with unread data in it resets it, and the client
  // may lose the answer: read (and drop) a bounded amount first.
  const uint64_t cap = static_cast<uint64_t>(m_state->config.max_upload_bytes) + (uint64_t{16} << 20);
  // httplib skips a body announced beyond its payload limit (the upload cap
  // plus a margin) by reading all of it, however long: with
  // "Content-Length: 99999999999999999999" the answer waited for the client
  // to give up. Such a body is not read at all; the connection closes.
  if (announced_body_beyond(ctx.req, static_cast<int64_t>(cap))) {
    ctx.res.set_header("Connection", "close");
    return;
  }
  uint64_t seen = 0;
  bool whole = (*ctx.body)([&](const char*, size_t length) {
    seen += length;
    return seen <= cap;
  });
  if (!whole) ctx.res.set_header("Connection", "close");
}

Status Router::run_route(const Route& route, RequestContext& ctx, const std::smatch& match) {
  switch (route.access) {
    case Access::open: return route.handler(ctx);
    case Access::authenticated: {
      Status status = authenticate(ctx);
      if (status && route.write) status = auth::Authenticator::require_write(*ctx.principal);
      if (status) status = route.handler(ctx);
      return status;
    }
    case Access::file:
    case Access::media: return run_file_route(route, ctx, match);
  }
  return Status();
}

void Router::run(const Route& route, const httplib::Request& req, httplib::Response& res, const std::smatch& match,
                 const httplib::ContentReader* body) {
  // Ranges are interpreted by the handlers that support them (/video), never
  // by httplib, which would otherwise cut any body — even a JSON error — to
  // the requested bytes.
  const_cast<httplib::Request&>(req).ranges.clear();
  current_request().route = route.label;
  RequestContext ctx{req, res, *m_state, std::nullopt, {}, {}, body, false};
  try {
    Status status = run_route(route, ctx, match);
    if (!status) send_error(res, status.error());
    drain_body(ctx);
  } catch (const std::exception& e) {
    log::error("unexpected exception in " + log::field(req.method, 16) + " " +
               log::field(req.path, k_max_target_bytes) + ": " + e.what());
    send_error(res, internal_error("an unexpected error occurred; see the server log"));
  } catch (...) {
    log::error("unexpected non-standard exception in " + log::field(req.method, 16) + " " +
               log::field(req.path, k_max_target_bytes));
    send_error(res, internal_error("an unexpected error occurred; see the server log"));
  }
}

Status Router::authenticate(RequestContext& ctx) {
  auto credentials = credentials_of(ctx.req);
  if (!credentials) return credentials.error();
  auto principal = m_state->app.authenticator().authenticate(credentials.value(), std::time(nullptr));
  if (!principal) return principal.error();
  current_request().principal = principal->describe();
  ctx.principal = std::move(principal.value());
  return Status();
}

Status Router::run_file_route(const Route& route, RequestContext& ctx, const std::smatch& match) {
  app::AppContext& app = m_state->app;
  if (Status authenticated = authenticate(ctx); !authenticated) return authenticated;
  if (route.write) {
    if (Status allowed = auth::Authenticator::require_write(*ctx.principal); !allowed) return allowed;
  }

  std::string file_uuid = match.size() > 1 ? match[1].str() : "";
  if (Status valid = check_file_uuid(file_uuid); !valid) return valid;
  if (Status allowed = app.authenticator().authorize(*ctx.principal, file_uuid); !allowed) return allowed;
  auto file = app.catalog().resolve(file_uuid);
  if (!file) return file.error();
  if (route.access == Access::media) {
    if (Status unchanged = import::require_unchanged(app.files(), file.value()); !unchanged) return unchanged;
  }
  ctx.file = std::move(file.value());
  for (size_t i = 2; i < match.size(); ++i) ctx.params.push_back(match[i].str());
  return route.handler(ctx);
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> table;
  for (const Route& route : m_routes) table.push_back(RouteInfo{route.method, route.pattern});
  return table;
}

bool Router::handle_unrouted(const httplib::Request& req, httplib::Response& res) {
  bool has_body = !res.body.empty() || res.content_provider_;
  if (has_body) return false;  // one of our own answers
  // The methods the path answers to, for a 405's Allow header.
  std::vector<std::string> allowed;
  for (const Route& route : m_routes) {
    if (!std::regex_match(req.path, route.regex)) continue;
    if (route.method == "GET") {
      allowed.push_back("GET");
      allowed.push_back("HEAD");
    } else {
      allowed.push_back(route.method);
    }
  }
  for (const Route& route : m_routes) {
    std::smatch match;
    if (!std::regex_match(req.path, match, route.regex)) continue;
    if (res.status == 416 && (req.method == "GET" || req.method == "HEAD")) {
      // httplib refused the Range header before routing; let the route decide.
      const_cast<httplib::Request&>(req).ranges.clear();
      res.status = -1;
      run(route, req, res, match);
      if (res.status == -1) res.status = 200;
      return true;
    }
    if (std::find(allowed.begin(), allowed.end(), req.method) == allowed.end()) {
      std::string list;
      for (const std::string& m : allowed) list += (list.empty() ? "" : ", ") + m;
      res.set_header("Allow", list);
      send_error(res, make_error(ErrorKind::invalid_argument, "method_not_allowed",
                                 quote_for_message(req.method) + " is not supported here; use " + list));
      res.status = 405;
      // A body sent with it was not read; do not parse it as the next request.
      res.set_header("Connection", "close");
      return true;
    }
  }
  if (res.status == 404) {
    send_error(res, not_found("route_not_found", "no such endpoint: " + quote_for_message(req.path, 200)));
    return true;
  }
  int status = res.status;
  send_error(res, make_error(ErrorKind::invalid_argument, "bad_request",
                             "the request could not be handled (HTTP " + std::to_string(status) + ")"));
  res.status = status;
  return true;
}

}  // namespace frameserve::http
