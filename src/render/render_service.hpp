// RenderService: every stream frameserve renders from a file — /clip,
// /video (copy, debug, HLS), /video/bbox, /trace/:id/video, their HLS
// playlists and segments — and their CLI twins (`clip`, `video`,
// `bbox-video`, `hls`). One request value in (render_request.hpp), a plan
// out, then the body: the file itself, a cached segment, a render another
// request shared, or a started process::MediaStream.
//
// Written once here: "the whole span unless a range is given", the
// download-name suffix, the cache policy of a view, the revision, the HLS
// plan and segment key, and which pipeline draws which view (plain ffmpeg,
// or overlay::start_overlay_stream with a painter). The HTTP side
// (http/render_response) only applies the plan to a response.
//
// Owns nothing but references to AppContext's services; thread-safe (they
// are).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "db/detection_store.hpp"
#include "faces/scene_service.hpp"
#include "hls/segment_cache.hpp"
#include "media/encoder_settings.hpp"
#include "process/job_runner.hpp"
#include "process/media_stream.hpp"
#include "render/render_request.hpp"

namespace frameserve::render {

// The body of a planned answer: exactly one member is set.
struct RenderBody {
  std::optional<std::string> file;           // send as it is (the whole file, a cached segment)
  std::shared_ptr<const std::string> bytes;  // a segment another request rendered, not kept on disk
  std::unique_ptr<process::MediaStream> stream;
};

class RenderService {
 public:
  RenderService(const process::JobRunner& runner, db::DetectionStore& detections, faces::SceneService& scenes,
                hls::SegmentCache& segments, const media::EncoderSettings& encoder)
      : m_runner(runner), m_detections(detections), m_scenes(scenes), m_segments(segments), m_encoder(encoder) {}

  // Resolves `request` for `file`. Errors: `invalid_argument` (a bad or
  // missing range, "range_required" for a clip without one, a format the
  // view has not, "bad_segment"), `not_found` (unknown trace, a trace
  // without detections, an unknown identity of a scene video), db errors.
  Result<RenderPlan> plan(const db::ResolvedFile& file, RenderRequest request) const;

  // The playlist text of an HLS plan; `segment_uri(i)` names segment i.
  // Cannot fail.
  std::string playlist(const RenderPlan& plan, const std::function<std::string(int64_t)>& segment_uri) const;

  // A segment plan's cached file, without waiting or counting (HEAD).
  // Cannot fail.
  std::optional<std::string> cached_segment(const RenderPlan& plan) const;

  // The body of a file, stream or segment plan. `admit` is called right
  // before a child is started (the HTTP stream gate) and its error returned.
  // Errors: `unavailable` (no job slot), `tool_failed` (ffmpeg failed before
  // its first bytes), db errors, `internal` for a playlist plan.
  Result<RenderBody> open(const RenderPlan& plan, const std::function<Status()>& admit = {}) const;

  // A cached segment's file vanished before it could be sent: the next
  // open() renders it again. Cannot fail.
  void forget_segment(const RenderPlan& plan) const;

 private:
  Result<std::unique_ptr<process::MediaStream>> start_picture(
      const RenderPlan& plan, const media::FrameRange& frames,
      const std::optional<media::HlsSegmentTiming>& timing) const;

  const process::JobRunner& m_runner;
  db::DetectionStore& m_detections;
  faces::SceneService& m_scenes;
  hls::SegmentCache& m_segments;
  const media::EncoderSettings& m_encoder;
};

}  // namespace frameserve::render
