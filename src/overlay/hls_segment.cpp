#include "overlay/hls_segment.hpp"

#include "common/text.hpp"
#include "media/ffmpeg_argv.hpp"
#include "overlay/overlay_service.hpp"

namespace frameserve::overlay {

Result<HlsView> parse_hls_view(const std::string& text) {
  if (text == "video") return HlsView{};
  if (text == "debug" || text == "bbox") return HlsView{true, std::nullopt};
  if (text.rfind("trace:", 0) == 0) {
    auto id = parse_int64(text.substr(6));
    if (id && *id >= 0) return HlsView{true, *id};
  }
  return invalid_argument("bad_view", "view " + quote_for_message(text) +
                                          " is not one of video, debug, bbox, trace:ID (ID a whole number >= 0)");
}

Result<std::unique_ptr<process::MediaStream>> start_hls_segment(const process::JobRunner& runner,
                                                                db::DetectionStore& detections,
                                                                std::shared_ptr<const media::MediaFile> file,
                                                                const HlsView& view, const media::FrameRange& range,
                                                                const media::HlsSegment& segment,
                                                                bool audio, const media::EncoderSettings& encoder) {
  media::HlsSegmentTiming timing = media::plan_hls_timing(*file->index, range, segment);
  if (!view.overlay) {
    // The plain picture: the same exact-range re-encode as /clip.
    return runner.start_stream(media::build_clip_command(*file, segment.frames, audio, encoder, timing));
  }
  DetectionOverlaySpec spec;
  spec.trace_id = view.trace_id;
  spec.audio = audio;
  spec.format = media::StreamFormat::mpegts;
  spec.hls_timing = timing;
  return start_detection_overlay(runner, detections, std::move(file), spec, segment.frames, encoder);
}

}  // namespace frameserve::overlay
