#include "overlay/overlay_service.hpp"

#include <algorithm>

#include "media/extraction.hpp"
#include "overlay/clip_debug_painter.hpp"
#include "overlay/detection_painter.hpp"
#include "overlay/overlay_stream.hpp"

namespace frameserve::overlay {

Result<media::FrameRange> resolve_overlay_range(db::DetectionStore& detections, const media::MediaFile& file,
                                                const DetectionOverlaySpec& spec) {
  if (spec.pad_frames < 0) return invalid_argument("invalid_parameter", "pad_frames must be >= 0");
  media::FrameRange range{0, file.info.frame_count - 1};
  if (spec.trace_id) {
    auto trace = detections.trace_summary(file.file_uuid, *spec.trace_id);
    if (!trace) return trace.error();
    if (trace->detection_count == 0) {
      return not_found("trace_empty", "trace " + std::to_string(*spec.trace_id) + " has no detections");
    }
    range = media::FrameRange{trace->first_frame, trace->last_frame};
  }
  if (spec.range.any()) {
    auto resolved = media::resolve_range(spec.range, file);
    if (!resolved) return resolved.error();
    range = resolved.value();
  }
  range.first = std::max<int64_t>(0, range.first - spec.pad_frames);
  range.last = std::min<int64_t>(file.info.frame_count - 1, range.last + spec.pad_frames);
  return range;
}

Result<std::unique_ptr<process::MediaStream>> start_detection_overlay(
    const process::JobRunner& runner, db::DetectionStore& detections, std::shared_ptr<const media::MediaFile> file,
    const DetectionOverlaySpec& spec, const media::FrameRange& range, const media::EncoderSettings& encoder) {
  auto labels = detections.trace_labels(file->file_uuid);
  if (!labels) return labels.error();
  int height = file->info.height;
  auto painter = std::make_unique<DetectionPainter>(DetectionFeed(detections, file->file_uuid, range.last),
                                                    std::move(labels.value()), spec.trace_id, height);
  OverlayRequest request{std::move(file), range, spec.audio, spec.format, encoder, spec.hls_timing};
  auto stream = start_overlay_stream(runner, std::move(request), std::move(painter));
  if (!stream) return stream.error();
  return std::unique_ptr<process::MediaStream>(std::move(stream.value()));
}

Result<std::unique_ptr<process::MediaStream>> start_clip_stream(const process::JobRunner& runner,
                                                                std::shared_ptr<const media::MediaFile> file,
                                                                const media::FrameRange& range, bool audio, bool debug,
                                                                const media::EncoderSettings& encoder) {
  if (!debug) return media::start_clip(runner, *file, range, audio, encoder);
  int height = file->info.height;
  OverlayRequest request{std::move(file), range, audio, media::StreamFormat::mpegts, encoder, std::nullopt};
  auto stream = start_overlay_stream(runner, std::move(request), std::make_unique<ClipDebugPainter>(height));
  if (!stream) return stream.error();
  return std::unique_ptr<process::MediaStream>(std::move(stream.value()));
}

}  // namespace frameserve::overlay
