#include "http/routes.hpp"

#include "http/resources/api_index_resource.hpp"
#include "http/resources/clip_resource.hpp"
#include "http/resources/cooccurrence_resource.hpp"
#include "http/resources/file_contents_resource.hpp"
#include "http/resources/files_resource.hpp"
#include "http/resources/frames_resource.hpp"
#include "http/resources/health_resource.hpp"
#include "http/resources/ingest_resource.hpp"
#include "http/resources/metrics_resource.hpp"
#include "http/resources/overlay_resource.hpp"
#include "http/resources/scene_resource.hpp"
#include "http/resources/storyboard_resource.hpp"
#include "http/resources/thumbnail_resource.hpp"
#include "http/resources/trace_resource.hpp"
#include "http/resources/video_resource.hpp"
#include "http/resources/viewer_resource.hpp"

namespace frameserve::http {

// /api/v1/file/:file_uuid — the first capture of every file route.
#define FILE_ROUTE "/api/v1/file/([^/]+)"

void register_routes(Router& r) {
  r.get_public("/healthz", get_health);
  r.get_public("/readyz", get_ready);
  r.get_public("/metrics", get_metrics);
  r.get_public("/", get_root);
  r.get_public("/api/v1", get_api_index);
  r.get_public("/api/v1/openapi\\.json", get_openapi_document);
  r.get_public("/ui/([^/]*)", get_viewer_asset);
  r.get_authenticated("/api/v1/files", list_files);
  r.write_authenticated("POST", "/api/v1/files", register_file);
  r.write_file("DELETE", FILE_ROUTE, delete_file);
  r.write_file("PUT", FILE_ROUTE "/detections", replace_detections);
  r.write_file("POST", FILE_ROUTE "/detections", append_detections);
  r.get_file(FILE_ROUTE, get_file_info);
  r.get_file(FILE_ROUTE "/identities", list_identities);
  r.get_file(FILE_ROUTE "/traces", list_traces);
  r.get_file(FILE_ROUTE "/detections", list_detections);
  r.get_media(FILE_ROUTE "/video", get_video);
  r.get_media(FILE_ROUTE "/thumbnail", get_thumbnail);
  r.get_media(FILE_ROUTE "/clip", get_clip);
  r.post_media(FILE_ROUTE "/frames", post_frames);
  r.get_file(FILE_ROUTE "/frame-index", get_frame_index);
  r.get_media(FILE_ROUTE "/identities/([^/]+)/faces\\.tar", get_identity_faces_tar);
  // A storyboard's JSON and VTT are planned from the frame index alone; its
  // sheets read the video.
  r.get_file(FILE_ROUTE "/storyboard", get_storyboard_json);
  r.get_file(FILE_ROUTE "/storyboard\\.json", get_storyboard_json);
  r.get_file(FILE_ROUTE "/storyboard\\.vtt", get_storyboard_vtt);
  r.get_media(FILE_ROUTE "/storyboard/([0-9]+)\\.jpg", get_storyboard_sheet);
  r.get_media(FILE_ROUTE "/video/bbox", get_bbox_video);
  r.get_media(FILE_ROUTE "/trace/([^/]+)/video", get_trace_video);
  r.get_file(FILE_ROUTE "/trace/([^/]+)/representative-face", get_representative_face);
  r.get_media(FILE_ROUTE "/trace/([^/]+)/thumbnail", get_trace_thumbnail);
  r.get_media(FILE_ROUTE "/trace/([^/]+)/preview", get_trace_preview);
  r.get_file(FILE_ROUTE "/identities/([^/]+)/co-occur-with/([^/]+)", get_cooccurrence);
  r.get_file(FILE_ROUTE "/identities/([^/]+)/scenes", get_identity_scenes);
  r.get_file(FILE_ROUTE "/identities/([^/]+)/co-occur-with/([^/]+)/scenes", get_cooccurrence_scenes);
  r.get_media(FILE_ROUTE "/identities/([^/]+)/video", get_identity_video);
  r.get_media(FILE_ROUTE "/identities/([^/]+)/co-occur-with/([^/]+)/video", get_cooccurrence_video);
}

std::vector<RouteInfo> route_table() {
  Router recorder;
  register_routes(recorder);
  return recorder.routes();
}

}  // namespace frameserve::http
