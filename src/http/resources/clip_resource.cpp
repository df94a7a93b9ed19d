#include "http/resources/clip_resource.hpp"

#include "http/query_params.hpp"
#include "http/resources/media_params.hpp"
#include "http/responses.hpp"
#include "http/stream_response.hpp"
#include "media/extraction.hpp"
#include "overlay/overlay_service.hpp"

namespace frameserve::http {

Status get_clip(RequestContext& ctx) {
  QueryParams query(ctx.req);
  auto spec = read_range_params(query);
  if (!spec) return spec.error();
  auto audio = read_audio_param(query);
  if (!audio) return audio.error();
  auto debug = read_debug_mode(query);
  if (!debug) return debug.error();
  auto range = media::resolve_range(spec.value(), ctx.media());
  if (!range) return range.error();

  auto ticket = enter_stream_gate(ctx);
  if (!ticket) return ticket.error();
  set_public_day_cache(ctx.res);
  ctx.res.set_header("X-First-Frame", std::to_string(range->first));
  ctx.res.set_header("X-Last-Frame", std::to_string(range->last));
  if (ctx.is_head()) {
    send_stream_head(ctx, "video/mp2t");
    return Status();
  }
  auto stream = debug.value() ? overlay::start_debug_clip(ctx.app().runner(), ctx.file.media, range.value(),
                                                          audio.value(), ctx.app().encoder())
                              : media::start_clip(ctx.app().runner(), ctx.media(), range.value(), audio.value(),
                                                  ctx.app().encoder());
  if (!stream) return stream.error();
  send_media_stream(ctx, std::move(stream.value()), "video/mp2t", std::move(ticket.value()));
  return Status();
}

}  // namespace frameserve::http
