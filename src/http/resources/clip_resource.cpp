#include "http/resources/clip_resource.hpp"

#include "http/query_params.hpp"
#include "http/render_response.hpp"
#include "http/resources/render_query.hpp"

namespace frameserve::http {

Status get_clip(RequestContext& ctx) {
  auto request = read_clip_request(QueryParams(ctx.req));
  if (!request) return request.error();
  return answer_render(ctx, std::move(request.value()));
}

}  // namespace frameserve::http
