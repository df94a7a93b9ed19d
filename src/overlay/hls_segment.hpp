// One HLS segment of a view, rendered alone: MPEG-TS, H.264 + AAC with the
// server's encoder settings, exactly the segment's frames, starting with an
// IDR frame, its timestamps shifted by the segment's offset in the range so
// that segments rendered separately (in any order) join without a
// discontinuity. The endpoint (`format=hls&segment=N`) and the CLI twin
// (`frameserve hls`) both render through start_hls_segment.
//
// Stateless; the returned stream owns its children and its job slot (see
// process::JobRunner and overlay::start_overlay_stream).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "db/detection_store.hpp"
#include "media/encoder_settings.hpp"
#include "media/hls_playlist.hpp"
#include "media/media_info.hpp"
#include "process/job_runner.hpp"
#include "process/media_stream.hpp"

namespace frameserve::overlay {

// Which picture a segment shows: the plain video, or the detection
// overlay (/video/bbox and /video?mode=debug; with a trace, /trace/:id/video).
struct HlsView {
  bool overlay = false;
  std::optional<int64_t> trace_id;
};

// Parses the CLI's `--view video|debug|bbox|trace:ID`. Errors:
// `invalid_argument` naming the valid forms.
Result<HlsView> parse_hls_view(const std::string& text);

// Starts rendering `segment` of `range` of a view. Errors: `unavailable` (no slot),
// `tool_failed` (ffmpeg failed before its first bytes), db errors.
Result<std::unique_ptr<process::MediaStream>> start_hls_segment(const process::JobRunner& runner,
                                                                db::DetectionStore& detections,
                                                                std::shared_ptr<const media::MediaFile> file,
                                                                const HlsView& view, const media::FrameRange& range,
                                                                const media::HlsSegment& segment,
                                                                bool audio, const media::EncoderSettings& encoder);

}  // namespace frameserve::overlay
