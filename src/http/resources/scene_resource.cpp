#include "http/resources/scene_resource.hpp"

#include "faces/scene_service.hpp"
#include "faces/scenes.hpp"
#include "http/query_params.hpp"
#include "http/render_response.hpp"
#include "http/resources/render_query.hpp"
#include "http/responses.hpp"

namespace frameserve::http {

namespace {
Status answer_scenes(RequestContext& ctx, faces::SceneQuery query) {
  QueryParams params(ctx.req);
  auto pad = params.integer("pad_frames", 0, faces::k_max_scene_frames);
  if (!pad) return pad.error();
  auto gap = params.integer("gap_frames", 0, faces::k_max_scene_frames);
  if (!gap) return gap.error();
  query.pad_frames = pad.value();
  query.gap_frames = gap.value();
  auto list = ctx.app().scenes().scenes(ctx.file, query);
  if (!list) return list.error();
  // Valid until the identities' detections are re-imported, as the
  // co-occurrence answer is.
  ctx.res.set_header("Cache-Control", "private, max-age=60");
  send_json(ctx.res, 200, faces::scenes_json(ctx.media().file_uuid, list.value()));
  return Status();
}
}  // namespace

Status get_identity_scenes(RequestContext& ctx) {
  faces::SceneQuery query;
  query.identity_uuid = ctx.params.at(0);
  return answer_scenes(ctx, std::move(query));
}

Status get_cooccurrence_scenes(RequestContext& ctx) {
  faces::SceneQuery query;
  query.identity_uuid = ctx.params.at(0);
  query.with_identity_uuid = ctx.params.at(1);
  return answer_scenes(ctx, std::move(query));
}

Status get_identity_video(RequestContext& ctx) {
  faces::SceneQuery query;
  query.identity_uuid = ctx.params.at(0);
  auto request = read_scene_video_request(QueryParams(ctx.req), std::move(query));
  if (!request) return request.error();
  return answer_render(ctx, std::move(request.value()));
}

Status get_cooccurrence_video(RequestContext& ctx) {
  faces::SceneQuery query;
  query.identity_uuid = ctx.params.at(0);
  query.with_identity_uuid = ctx.params.at(1);
  auto request = read_scene_video_request(QueryParams(ctx.req), std::move(query));
  if (!request) return request.error();
  return answer_render(ctx, std::move(request.value()));
}

}  // namespace frameserve::http
