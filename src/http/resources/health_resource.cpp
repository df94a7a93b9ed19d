#include "http/resources/health_resource.hpp"

#include <unistd.h>

#include "common/json_writer.hpp"
#include "http/responses.hpp"
#include "process/drain.hpp"

namespace frameserve::http {

Status get_health(RequestContext& ctx) {
  Status ping = ctx.app().database().ping();
  if (!ping) {
    return unavailable("database_unavailable", "the database does not answer: " + ping.error().message, 2);
  }
  auto jobs = ctx.app().limiter().stats();
  JsonWriter w;
  w.begin_object().field("success", true).field("status", "ok").field("database", "ok");
  w.key("jobs").begin_object().field("running", jobs.running).field("waiting", jobs.waiting);
  w.field("parked", jobs.parked)
      .field("capacity", jobs.capacity)
      .field("rejected", static_cast<int64_t>(jobs.rejected))
      .end_object();
  w.key("streams").begin_object().field("active", ctx.server.streams.active());
  w.field("limit", ctx.server.streams.limit()).end_object();
  w.end_object();
  ctx.res.set_header("Cache-Control", "no-store");
  send_json(ctx.res, 200, w.str());
  return Status();
}

}  // namespace frameserve::http

namespace frameserve::http {

Status get_ready(RequestContext& ctx) {
  // A draining instance must leave the load balancer's rotation at once.
  if (process::draining()) {
    return unavailable("draining", "not ready: the server is shutting down (draining)", 5);
  }
  Status ping = ctx.app().database().ping();
  if (!ping) {
    return unavailable("database_unavailable", "not ready: the database does not answer: " + ping.error().message, 2);
  }
  const std::string& ffmpeg = ctx.app().runner().tools().ffmpeg;
  if (::access(ffmpeg.c_str(), X_OK) != 0) {
    return unavailable("ffmpeg_unavailable", "not ready: ffmpeg (" + ffmpeg + ") cannot be run", 5);
  }
  JsonWriter w;
  w.begin_object().field("success", true).field("status", "ready").field("database", "ok").field("ffmpeg", "ok");
  w.end_object();
  ctx.res.set_header("Cache-Control", "no-store");
  send_json(ctx.res, 200, w.str());
  return Status();
}

}  // namespace frameserve::http
