// TracePreviewService: the moving preview of a trace — an animated WebP or
// GIF of its sharpest seconds (around its representative face) with the
// face box drawn, what a people grid plays on hover. The logic behind
// GET .../trace/:trace_id/preview and `frameserve preview`.
//
// The frames and boxes are planned by media/preview_plan from the trace's
// span, its representative face (FaceService, memoized) and its detections
// in the window (a bounded read: at most k_preview_max_us of frames); the
// render is one ffmpeg job (process::JobRunner, a short job) kept in the
// disk cache of rendered segments under a key that names the file's
// registration and version, the detections revision, the trace and the
// request, so a re-import never serves a stale box.
//
// Thread-safe (stateless over thread-safe services).
#pragma once

#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "db/detection_store.hpp"
#include "db/media_catalog.hpp"
#include "faces/face_service.hpp"
#include "hls/segment_cache.hpp"
#include "media/preview_plan.hpp"
#include "process/job_runner.hpp"

namespace frameserve::faces {

struct TracePreview {
  std::string bytes;
  std::string content_type;
  media::PreviewPlan plan;
  bool from_cache = false;
};

// The cache key (a file name) and the basis of the ETag of a preview: what
// changes its bytes. Never fails.
std::string trace_preview_key(const db::ResolvedFile& file, int64_t trace_id, const media::PreviewRequest& request);

class TracePreviewService {
 public:
  TracePreviewService(FaceService& faces, db::DetectionStore& detections, const process::JobRunner& runner,
                      hls::SegmentCache& cache)
      : m_faces(faces), m_detections(detections), m_runner(runner), m_cache(cache) {}

  // Errors: `invalid_argument` ("bad_width", "bad_fps"), `not_found`
  // ("trace_not_found", "trace_empty"), `unavailable` (no job slot, no
  // database), `tool_failed`.
  Result<TracePreview> preview(const db::ResolvedFile& file, int64_t trace_id, const media::PreviewRequest& request);

 private:
  FaceService& m_faces;
  db::DetectionStore& m_detections;
  const process::JobRunner& m_runner;
  hls::SegmentCache& m_cache;
};

}  // namespace frameserve::faces
