#include "http/routes.hpp"

#include "http/resources/clip_resource.hpp"
#include "http/resources/health_resource.hpp"
#include "http/resources/overlay_resource.hpp"
#include "http/resources/thumbnail_resource.hpp"
#include "http/resources/video_resource.hpp"

namespace frameserve::http {

namespace {
// /api/v1/file/:file_uuid — the first capture of every file route.
#define FILE_ROUTE "/api/v1/file/([^/]+)"
}  // namespace

void register_routes(Router& r) {
  r.get_public("/healthz", get_health);
  r.get_file(FILE_ROUTE "/video", get_video);
  r.get_file(FILE_ROUTE "/thumbnail", get_thumbnail);
  r.get_file(FILE_ROUTE "/clip", get_clip);
  r.get_file(FILE_ROUTE "/video/bbox", get_bbox_video);
  r.get_file(FILE_ROUTE "/trace/([^/]+)/video", get_trace_video);
}

}  // namespace frameserve::http
