#include "http/resources/frames_resource.hpp"

#include "frames/frames_service.hpp"
#include "http/content_disposition.hpp"
#include "http/query_params.hpp"
#include "http/responses.hpp"
#include "http/small_body.hpp"
#include "http/stream_response.hpp"

namespace frameserve::http {

namespace {
// 10,000 frame numbers of eight digits and the other members fit easily.
constexpr size_t k_max_body = 1 << 20;
}  // namespace

Status post_frames(RequestContext& ctx) {
  auto body = read_small_body(
      ctx, k_max_body,
      make_error(ErrorKind::payload_too_large, "payload_too_large",
                 "a frames request may hold at most " + std::to_string(k_max_body) + " bytes (up to 10,000 frames)"));
  if (!body) return body.error();
  auto request = frames::parse_frames_request_json(body.value());
  if (!request) return request.error();
  const frames::FramesService& service = ctx.app().frames();
  auto plan = service.plan(ctx.file, request.value());
  if (!plan) return plan.error();
  if (Status named = set_download_name(ctx, "_frames", "tar"); !named) return named;
  auto ticket = enter_stream_gate(ctx);
  if (!ticket) return ticket.error();
  auto stream = service.start(ctx.file, std::move(plan.value()));
  if (!stream) return stream.error();
  send_media_stream(ctx, std::move(stream.value()), "application/x-tar", std::move(ticket.value()));
  return Status();
}

Status get_identity_faces_tar(RequestContext& ctx) {
  QueryParams query(ctx.req);
  auto per_trace = query.integer("per_trace", 1, 100);
  if (!per_trace) return per_trace.error();
  auto size = query.integer("size", 1, media::k_max_image_side);
  if (!size) return size.error();
  auto margin = query.number("margin", 0, 10);
  if (!margin) return margin.error();
  auto format = query.choice("format", {"png", "jpeg", "jpg", "raw"}, "png");
  if (!format) return format.error();
  media::BatchFormat batch_format = format.value() == "png"   ? media::BatchFormat::png
                                    : format.value() == "raw" ? media::BatchFormat::raw
                                                              : media::BatchFormat::jpeg;
  const frames::FramesService& service = ctx.app().frames();
  auto plan = service.plan_identity_faces(ctx.file, ctx.params.at(0), per_trace.value().value_or(5),
                                          size.value().value_or(112), margin.value().value_or(0.2), batch_format);
  if (!plan) return plan.error();
  if (Status named = set_download_name(ctx, "_faces", "tar"); !named) return named;
  if (ctx.is_head()) {
    send_stream_head(ctx, "application/x-tar");
    return Status();
  }
  auto ticket = enter_stream_gate(ctx);
  if (!ticket) return ticket.error();
  auto stream = service.start(ctx.file, std::move(plan.value()));
  if (!stream) return stream.error();
  send_media_stream(ctx, std::move(stream.value()), "application/x-tar", std::move(ticket.value()));
  return Status();
}

Status get_frame_index(RequestContext& ctx) {
  ctx.res.set_header("Cache-Control", "private, max-age=60");
  send_json(ctx.res, 200, frames::frame_index_json(ctx.media()));
  return Status();
}

}  // namespace frameserve::http
