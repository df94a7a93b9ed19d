#include "http/render_response.hpp"

#include <algorithm>

#include "hls/segment_uri.hpp"
#include "http/content_disposition.hpp"
#include "http/file_response.hpp"
#include "http/resources/media_params.hpp"
#include "http/responses.hpp"
#include "http/stream_response.hpp"

namespace frameserve::http {

namespace {

void set_cache_policy(httplib::Response& res, render::CachePolicy policy) {
  switch (policy) {
    case render::CachePolicy::file_default: break;
    case render::CachePolicy::public_day: set_public_day_cache(res); break;
    // Never `public` beyond the spec's own answers: these need credentials
    // (see the generated nginx config).
    case render::CachePolicy::private_day: res.set_header("Cache-Control", "private, max-age=86400"); break;
    case render::CachePolicy::private_revalidate: res.set_header("Cache-Control", "private, no-cache"); break;
  }
}

void set_frame_headers(httplib::Response& res, const media::FrameRange& frames) {
  res.set_header("X-First-Frame", std::to_string(frames.first));
  res.set_header("X-Last-Frame", std::to_string(frames.last));
}

// Sends a completed render another request made (not kept on disk).
void send_shared_segment(RequestContext& ctx, std::shared_ptr<const std::string> bytes) {
  ctx.res.status = 200;
  size_t size = bytes->size();
  ctx.res.set_content_provider(size, "video/mp2t", [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
    return sink.write(bytes->data() + offset, std::min(length, bytes->size() - offset));
  });
}

Status answer_playlist(RequestContext& ctx, const render::RenderPlan& plan) {
  set_cache_policy(ctx.res, plan.cache);
  set_frame_headers(ctx.res, plan.frames);
  std::string playlist = ctx.app().render().playlist(
      plan, [&](int64_t i) { return hls::segment_uri(ctx.req.path, ctx.req.target, plan.revision, i); });
  // The segment URIs carry the revision, so the ETag changes with it.
  std::string etag = derived_etag("hls-playlist", playlist);
  if (answer_not_modified(ctx.req, ctx.res, etag)) return Status();
  ctx.res.status = 200;
  ctx.res.set_header("ETag", etag);
  ctx.res.set_content(playlist, plan.content_type);
  return Status();
}

Status answer_segment(RequestContext& ctx, const render::RenderPlan& plan) {
  const render::RenderService& render = ctx.app().render();
  set_cache_policy(ctx.res, plan.cache);
  set_frame_headers(ctx.res, plan.frames);
  // A cached segment's ETag names its key (registration, revision, picture)
  // besides the file's time and size.
  const std::string etag_tag = derived_etag("hls-segment", plan.segment_key).substr(1, 16);
  if (ctx.is_head()) {
    // What GET would send: the cached file's headers, or a stream's.
    if (auto path = render.cached_segment(plan)) {
      if (Status sent = send_file(ctx, *path, plan.content_type, etag_tag); sent) return sent;
    }
    send_stream_head(ctx, plan.content_type);
    return Status();
  }
  std::shared_ptr<StreamGate::Ticket> ticket;
  auto admit = [&]() -> Status {
    auto entered = enter_stream_gate(ctx);
    if (!entered) return entered.error();
    ticket = std::move(entered.value());
    return Status();
  };
  // A cached file may vanish between the lookup and the open: then it is
  // rendered again, once.
  for (int attempt = 0;; ++attempt) {
    auto body = render.open(plan, admit);
    if (!body) return body.error();
    if (body->file) {
      Status sent = send_file(ctx, *body->file, plan.content_type, etag_tag);
      if (sent || attempt > 0) return sent;
      render.forget_segment(plan);
      continue;
    }
    if (body->bytes) {
      send_shared_segment(ctx, std::move(body->bytes));
      return Status();
    }
    send_media_stream(ctx, std::move(body->stream), plan.content_type, std::move(ticket));
    return Status();
  }
}

}  // namespace

Status answer_render(RequestContext& ctx, render::RenderRequest request) {
  const render::RenderService& render = ctx.app().render();
  if (request.format == render::Format::hls) request.segment_seconds = ctx.server.config.hls_segment_seconds;
  auto planned = render.plan(ctx.file, std::move(request));
  if (!planned) return planned.error();
  const render::RenderPlan& plan = planned.value();
  switch (plan.body) {
    case render::RenderPlan::Body::playlist: return answer_playlist(ctx, plan);
    case render::RenderPlan::Body::segment: return answer_segment(ctx, plan);
    case render::RenderPlan::Body::file: {
      const std::string& path = plan.file.media->path;
      if (Status named = set_download_name(ctx, "", file_extension(path)); !named) return named;
      return send_file(ctx, path, content_type_for_path(path));
    }
    case render::RenderPlan::Body::stream: break;
  }
  if (plan.named) {
    if (Status named = set_download_name(ctx, plan.name_suffix, plan.extension); !named) return named;
  }
  auto ticket = enter_stream_gate(ctx);
  if (!ticket) return ticket.error();
  set_frame_headers(ctx.res, plan.frames);
  set_cache_policy(ctx.res, plan.cache);
  if (ctx.is_head()) {
    send_stream_head(ctx, plan.content_type);
    return Status();
  }
  auto body = render.open(plan);
  if (!body) return body.error();
  send_media_stream(ctx, std::move(body->stream), plan.content_type, std::move(ticket.value()));
  return Status();
}

}  // namespace frameserve::http
