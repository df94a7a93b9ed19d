#include "http/resources/clip_resource.hpp"

#include "http/content_disposition.hpp"
#include "http/query_params.hpp"
#include "http/resources/media_params.hpp"
#include "http/responses.hpp"
#include "http/stream_response.hpp"
#include "overlay/overlay_service.hpp"

namespace frameserve::http {

Status get_clip(RequestContext& ctx) {
  auto params = read_stream_params(QueryParams(ctx.req));
  if (!params) return params.error();
  auto range = media::resolve_range(params->range, ctx.media());
  if (!range) return range.error();
  std::string cut = frame_range_suffix(range->first, range->last) + (params->debug ? "_debug" : "");
  if (Status named = set_download_name(ctx, cut, "ts"); !named) return named;

  auto ticket = enter_stream_gate(ctx);
  if (!ticket) return ticket.error();
  set_public_day_cache(ctx.res);
  ctx.res.set_header("X-First-Frame", std::to_string(range->first));
  ctx.res.set_header("X-Last-Frame", std::to_string(range->last));
  if (ctx.is_head()) {
    send_stream_head(ctx, "video/mp2t");
    return Status();
  }
  auto stream = overlay::start_clip_stream(ctx.app().runner(), ctx.file.media, range.value(), params->audio,
                                          params->debug, ctx.app().encoder());
  if (!stream) return stream.error();
  send_media_stream(ctx, std::move(stream.value()), "video/mp2t", std::move(ticket.value()));
  return Status();
}

}  // namespace frameserve::http
