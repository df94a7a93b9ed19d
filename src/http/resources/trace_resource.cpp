#include "http/resources/trace_resource.hpp"

#include "faces/face_json.hpp"
#include "faces/face_service.hpp"
#include "http/content_disposition.hpp"
#include "http/query_params.hpp"
#include "http/resources/media_params.hpp"
#include "http/resources/render_query.hpp"
#include "http/resources/thumbnail_resource.hpp"
#include "http/responses.hpp"
#include "media/extraction.hpp"
#include "media/requests.hpp"

namespace frameserve::http {

Status get_representative_face(RequestContext& ctx) {
  auto trace_id = parse_trace_id(ctx.params.at(0));
  if (!trace_id) return trace_id.error();
  auto face = ctx.app().faces().representative_face(ctx.file, trace_id.value());
  if (!face) return face.error();
  // Valid until the trace's detections are re-imported.
  ctx.res.set_header("Cache-Control", "private, max-age=60");
  send_json(ctx.res, 200, faces::representative_face_json(ctx.media().file_uuid, face.value()));
  return Status();
}

Status get_trace_thumbnail(RequestContext& ctx) {
  auto trace_id = parse_trace_id(ctx.params.at(0));
  if (!trace_id) return trace_id.error();
  QueryParams query(ctx.req);
  auto size = query.integer("size", 1, media::k_max_image_side);
  if (!size) return size.error();
  auto quality = query.integer("quality", 1, 100);
  if (!quality) return quality.error();
  auto planned = ctx.app().faces().trace_thumbnail_request(
      ctx.file, trace_id.value(), size.value().value_or(faces::k_trace_thumbnail_side),
      static_cast<int>(quality.value().value_or(media::FrameRequest{}.quality)));
  if (!planned) return planned.error();
  const media::FrameRequest& request = planned.value();
  const media::MediaFile& file = ctx.media();
  std::string cut = "_trace" + std::to_string(trace_id.value()) + "_f" + std::to_string(request.frame);
  if (Status named = set_download_name(ctx, cut, "jpg"); !named) return named;
  std::string etag = frame_image_etag("trace-thumbnail", file, request);
  if (answer_image_not_modified(ctx, etag)) return Status();
  auto image = media::extract_frame(ctx.app().runner(), file, request);
  if (!image) return image.error();
  ctx.res.set_header("X-Frame-Number", std::to_string(request.frame));
  send_image(ctx, std::move(image.value()), "image/jpeg", etag);
  return Status();
}

}  // namespace frameserve::http
