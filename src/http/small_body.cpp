#include "http/small_body.hpp"

#include "http/body_length.hpp"
#include "http/connection_watch.hpp"

namespace frameserve::http {

namespace {
// How much of a refused body is still read (and dropped) before the
// connection is closed on it.
constexpr int64_t k_drain_slack = 16 << 20;
}  // namespace

Result<std::string> read_small_body(RequestContext& ctx, size_t cap, const Error& too_large) {
  std::string body;
  if (!ctx.body) return body;
  if (announced_body_beyond(ctx.req, static_cast<int64_t>(cap))) {
    ctx.res.set_header("Connection", "close");
    return too_large;
  }
  bool too_big = false;
  ctx.body_read = true;
  int64_t received = 0;
  bool whole = (*ctx.body)([&](const char* data, size_t length) {
    received += static_cast<int64_t>(length);
    if (too_big || body.size() + length > cap) {
      too_big = true;
      body.clear();
      return received <= k_drain_slack;  // dropped; see k_drain_slack
    }
    body.append(data, length);
    return true;
  });
  if (too_big) {
    ctx.res.set_header("Connection", "close");
    return too_large;
  }
  if (!whole) return invalid_argument("body_incomplete", "the request body ended early");
  ConnectionWatch::body_complete();
  return body;
}

}  // namespace frameserve::http
