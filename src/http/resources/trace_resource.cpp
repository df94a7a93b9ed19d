#include "http/resources/trace_resource.hpp"

#include "faces/face_json.hpp"
#include "faces/face_service.hpp"
#include "faces/trace_preview.hpp"
#include "http/content_disposition.hpp"
#include "http/query_params.hpp"
#include "http/resources/media_params.hpp"
#include "http/resources/render_query.hpp"
#include "http/resources/thumbnail_resource.hpp"
#include "http/responses.hpp"
#include "media/extraction.hpp"
#include "media/preview_plan.hpp"
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

namespace {
Result<media::PreviewRequest> read_preview_request(const QueryParams& q) {
  media::PreviewRequest r;
  auto format = q.choice("format", {"webp", "gif"}, "webp");
  if (!format) return format.error();
  r.format = format.value() == "gif" ? media::PreviewFormat::gif : media::PreviewFormat::webp;
  auto width = q.integer("width", media::k_preview_min_width, media::k_preview_max_width);
  if (!width) return width.error();
  r.width = width.value().value_or(media::k_preview_default_width);
  auto fps = q.integer("fps", media::k_preview_min_fps, media::k_preview_max_fps);
  if (!fps) return fps.error();
  r.fps = fps.value().value_or(media::k_preview_default_fps);
  return r;
}
}  // namespace

Status get_trace_preview(RequestContext& ctx) {
  auto trace_id = parse_trace_id(ctx.params.at(0));
  if (!trace_id) return trace_id.error();
  auto request = read_preview_request(QueryParams(ctx.req));
  if (!request) return request.error();
  // The preview shows detections: like the face endpoints, it is private and
  // its validator names the detections revision (in the key), so a
  // re-import changes the ETag. The trace is looked up before a 304, so an
  // unknown trace is a 404 whatever the client sends.
  auto summary = ctx.app().detections().trace_summary(ctx.media().file_uuid, trace_id.value());
  if (!summary) return summary.error();
  const std::string key = faces::trace_preview_key(ctx.file, trace_id.value(), request.value());
  const std::string etag = derived_etag("trace-preview", key);
  ctx.res.set_header("Cache-Control", "private, max-age=60");
  if (Status named = set_download_name(ctx, "_trace" + std::to_string(trace_id.value()) + "_preview",
                                       media::preview_extension(request->format));
      !named) {
    return named;
  }
  if (http::answer_not_modified(ctx.req, ctx.res, etag)) return Status();
  auto preview = ctx.app().previews().preview(ctx.file, trace_id.value(), request.value());
  if (!preview) return preview.error();
  const media::PreviewPlan& plan = preview->plan;
  ctx.res.set_header("ETag", etag);
  ctx.res.set_header("X-Preview-Cache", preview->from_cache ? "hit" : "miss");
  ctx.res.set_header("X-Preview-Frames", std::to_string(plan.range.first) + "-" + std::to_string(plan.range.last));
  ctx.res.status = 200;
  ctx.res.set_content(std::move(preview->bytes), preview->content_type);
  return Status();
}

}  // namespace frameserve::http
