#include "http/resources/overlay_resource.hpp"

#include "http/query_params.hpp"
#include "http/render_response.hpp"
#include "http/resources/render_query.hpp"

namespace frameserve::http {

Status get_bbox_video(RequestContext& ctx) {
  render::View view;
  view.kind = render::View::Kind::bbox;
  auto request = read_overlay_request(QueryParams(ctx.req), view);
  if (!request) return request.error();
  return answer_render(ctx, std::move(request.value()));
}

Status get_trace_video(RequestContext& ctx) {
  auto trace_id = parse_trace_id(ctx.params.at(0));
  if (!trace_id) return trace_id.error();
  render::View view;
  view.kind = render::View::Kind::trace;
  view.trace_id = trace_id.value();
  auto request = read_overlay_request(QueryParams(ctx.req), view);
  if (!request) return request.error();
  return answer_render(ctx, std::move(request.value()));
}

}  // namespace frameserve::http
