// The overlay streams behind GET .../video/bbox, .../trace/:id/video,
// .../video?mode=debug and .../clip?mode=debug — and their CLI twin
// `frameserve bbox-video`. One implementation each.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "common/result.hpp"
#include "db/detection_store.hpp"
#include "media/encoder_settings.hpp"
#include "media/ffmpeg_argv.hpp"
#include "media/media_info.hpp"
#include "media/requests.hpp"
#include "process/job_runner.hpp"
#include "process/media_stream.hpp"

namespace frameserve::overlay {

struct DetectionOverlaySpec {
  // With a trace: that trace is highlighted (the others dimmed), and the
  // default range is the trace's first to last detection.
  std::optional<int64_t> trace_id;
  media::RangeSpec range;
  // Frames added before and after the range, within the video.
  int64_t pad_frames = 0;
  bool audio = true;
  media::StreamFormat format = media::StreamFormat::fragmented_mp4;
  // See OverlayRequest::hls_timing (HLS segments).
  std::optional<media::HlsSegmentTiming> hls_timing;
};

// Resolves the frames an overlay covers. Errors: `not_found` for an unknown
// trace or a trace without detections, `invalid_argument` for a bad range.
Result<media::FrameRange> resolve_overlay_range(db::DetectionStore& detections, const media::MediaFile& file,
                                                const DetectionOverlaySpec& spec);

// Starts a stream with every detection boxed and labelled.
Result<std::unique_ptr<process::MediaStream>> start_detection_overlay(
    const process::JobRunner& runner, db::DetectionStore& detections, std::shared_ptr<const media::MediaFile> file,
    const DetectionOverlaySpec& spec, const media::FrameRange& range, const media::EncoderSettings& encoder);

// Starts a clip (MPEG-TS): plain, or with debug "CLIP" and the source frame
// number drawn on every frame (mode=debug).
Result<std::unique_ptr<process::MediaStream>> start_clip_stream(const process::JobRunner& runner,
                                                                std::shared_ptr<const media::MediaFile> file,
                                                                const media::FrameRange& range, bool audio, bool debug,
                                                                const media::EncoderSettings& encoder);

}  // namespace frameserve::overlay
