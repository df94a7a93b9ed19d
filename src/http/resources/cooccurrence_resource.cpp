#include "http/resources/cooccurrence_resource.hpp"

#include "faces/face_json.hpp"
#include "http/responses.hpp"

namespace frameserve::http {

Status get_cooccurrence(RequestContext& ctx) {
  auto result = ctx.app().faces().cooccurrence(ctx.file, ctx.params.at(0), ctx.params.at(1));
  if (!result) return result.error();
  ctx.res.set_header("Cache-Control", "private, max-age=60");
  send_json(ctx.res, 200, faces::cooccurrence_json(ctx.media().file_uuid, result.value()));
  return Status();
}

}  // namespace frameserve::http
