#include "http/resources/video_resource.hpp"

#include "http/content_disposition.hpp"
#include "http/file_response.hpp"
#include "http/query_params.hpp"
#include "http/resources/hls_resource.hpp"
#include "http/resources/overlay_resource.hpp"
#include "http/resources/media_params.hpp"
#include "http/responses.hpp"
#include "http/stream_response.hpp"
#include "media/extraction.hpp"

namespace frameserve::http {

Status get_video(RequestContext& ctx) {
  auto params = read_stream_params(QueryParams(ctx.req));
  if (!params) return params.error();
  auto hls = read_hls_format(QueryParams(ctx.req));
  if (!hls) return hls.error();
  const media::MediaFile& file = ctx.media();
  // mode=debug: the same overlays as /video/bbox (re-encoded, not copied).
  if (params->debug) return stream_detection_overlay(ctx, {});
  if (hls.value()) {
    // HLS re-encodes exact frames, so the range is not widened to a keyframe.
    media::FrameRange range{0, file.info.frame_count - 1};
    if (params->range.any()) {
      auto resolved = media::resolve_range(params->range, file);
      if (!resolved) return resolved.error();
      range = resolved.value();
    }
    return serve_hls(ctx, overlay::HlsView{}, range, params->audio);
  }

  bool drop_audio = !params->audio && file.info.has_audio;
  if (!params->range.any() && !drop_audio) {
    // The file itself keeps its own name and extension.
    if (Status named = set_download_name(ctx, "", file_extension(file.path)); !named) return named;
    return send_file(ctx, file.path, content_type_for_path(file.path));
  }

  auto plan = media::plan_copy_range(params->range, file);
  if (!plan) return plan.error();
  if (Status named = set_download_name(ctx, frame_range_suffix(plan->first_frame, plan->range.last), "mp4"); !named) {
    return named;
  }
  auto ticket = enter_stream_gate(ctx);
  if (!ticket) return ticket.error();
  // Stream copy starts at a keyframe; say which frames the body holds.
  ctx.res.set_header("X-First-Frame", std::to_string(plan->first_frame));
  ctx.res.set_header("X-Last-Frame", std::to_string(plan->range.last));
  set_public_day_cache(ctx.res);
  if (ctx.is_head()) {
    send_stream_head(ctx, "video/mp4");
    return Status();
  }
  auto stream = media::start_copy_range(ctx.app().runner(), file, plan->range, params->audio);
  if (!stream) return stream.error();
  send_media_stream(ctx, std::move(stream.value()), "video/mp4", std::move(ticket.value()));
  return Status();
}

}  // namespace frameserve::http
