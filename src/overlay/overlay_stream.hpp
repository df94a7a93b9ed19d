// The overlay stream: a re-encoded stream with something drawn on every frame.
//
//   decoder ffmpeg --raw I420--> OverlayFeeder (FramePainter) --Matroska-->
//   encoder ffmpeg (+ the file's audio) --fMP4 / MPEG-TS--> client
//
// Drawing happens in frameserve on the raw frames, so the cost of a frame
// is the cost of its own boxes, text never passes through an ffmpeg option
// parser, and each frame's timestamp travels with it (Matroska), so
// variable frame rates survive.
//
// This is only the overlay-specific part: it builds the two commands and
// the feeder and hands them to JobRunner::start_pipeline, which owns and
// supervises everything (one slot, first-bytes wait, pump, parking,
// teardown; see process/stream_job.hpp). Stateless; thread-safe.
#pragma once

#include <memory>
#include <optional>

#include "common/result.hpp"
#include "media/encoder_settings.hpp"
#include "media/ffmpeg_argv.hpp"
#include "media/media_info.hpp"
#include "media/requests.hpp"
#include "overlay/frame_painter.hpp"
#include "process/job_runner.hpp"
#include "process/media_stream.hpp"

namespace frameserve::overlay {

struct OverlayRequest {
  std::shared_ptr<const media::MediaFile> file;
  media::FrameRange range;
  bool audio = true;
  media::StreamFormat format = media::StreamFormat::fragmented_mp4;
  media::EncoderSettings encoder;
  // An HLS segment: its place on the range's timeline and its audio cut
  // (see media::build_overlay_encode_command); a plain stream when absent.
  std::optional<media::HlsSegmentTiming> hls_timing;
};

// Takes a stream slot, starts decoder, feeder and encoder, and waits for
// the encoder's first bytes. Errors: `unavailable` (no slot, requester
// gone), `tool_failed` (ffmpeg's or the feeder's reason), `internal`.
Result<std::unique_ptr<process::MediaStream>> start_overlay_stream(const process::JobRunner& runner,
                                                                   OverlayRequest request,
                                                                   std::unique_ptr<FramePainter> painter);

}  // namespace frameserve::overlay
