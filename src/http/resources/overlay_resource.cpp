#include "http/resources/overlay_resource.hpp"

#include "common/text.hpp"
#include "http/content_disposition.hpp"
#include "http/query_params.hpp"
#include "http/resources/hls_resource.hpp"
#include "http/resources/media_params.hpp"
#include "http/stream_response.hpp"

namespace frameserve::http {

Result<int64_t> parse_trace_id(const std::string& text) {
  auto id = parse_int64(text);
  if (!id || *id < 0) {
    return invalid_argument("bad_trace_id", "trace_id " + quote_for_message(text) + " is not a whole number >= 0");
  }
  return *id;
}

Status stream_detection_overlay(RequestContext& ctx, overlay::DetectionOverlaySpec spec) {
  QueryParams query(ctx.req);
  auto params = read_stream_params(query);
  if (!params) return params.error();
  auto hls = read_hls_format(query);
  if (!hls) return hls.error();
  auto pad = query.integer("pad_frames", 0, 1000000);
  if (!pad) return pad.error();
  spec.range = params->range;
  spec.audio = params->audio;
  spec.pad_frames = pad.value().value_or(0);

  auto frames = overlay::resolve_overlay_range(ctx.app().detections(), ctx.media(), spec);
  if (!frames) return frames.error();
  if (hls.value()) return serve_hls(ctx, overlay::HlsView{true, spec.trace_id}, frames.value(), spec.audio);
  std::string what = spec.trace_id ? "_trace" + std::to_string(*spec.trace_id) : std::string("_bbox");
  if (Status named = set_download_name(ctx, what + frame_range_suffix(frames->first, frames->last), "mp4"); !named) {
    return named;
  }
  auto ticket = enter_stream_gate(ctx);
  if (!ticket) return ticket.error();
  ctx.res.set_header("X-First-Frame", std::to_string(frames->first));
  ctx.res.set_header("X-Last-Frame", std::to_string(frames->last));
  set_view_cache(ctx.res, overlay::HlsView{true, spec.trace_id}, false);
  if (ctx.is_head()) {
    send_stream_head(ctx, "video/mp4");
    return Status();
  }
  auto stream = overlay::start_detection_overlay(ctx.app().runner(), ctx.app().detections(), ctx.file.media, spec,
                                                 frames.value(), ctx.app().encoder());
  if (!stream) return stream.error();
  send_media_stream(ctx, std::move(stream.value()), "video/mp4", std::move(ticket.value()));
  return Status();
}

Status get_bbox_video(RequestContext& ctx) { return stream_detection_overlay(ctx, {}); }

Status get_trace_video(RequestContext& ctx) {
  auto trace_id = parse_trace_id(ctx.params.at(0));
  if (!trace_id) return trace_id.error();
  overlay::DetectionOverlaySpec spec;
  spec.trace_id = trace_id.value();
  return stream_detection_overlay(ctx, spec);
}

}  // namespace frameserve::http
