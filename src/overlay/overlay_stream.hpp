// OverlayStream: a re-encoded stream with something drawn on every frame.
//
//   decoder ffmpeg --raw I420--> feeder thread (FramePainter) --Matroska-->
//   encoder ffmpeg (+ the file's audio) --fMP4 / MPEG-TS--> client
//
// Drawing happens in frameserve on the raw frames, so the cost of a frame
// is the cost of its own boxes, text never passes through an ffmpeg option
// parser, and each frame's timestamp travels with it (Matroska), so
// variable frame rates survive. Frame i of the decoder's output is source
// frame range.first + i: the decoder picks frames by their exact pts.
//
// Owns both children, the feeder thread and the job slot (one slot: the
// pair is one job). Destruction terminates and reaps both children, then
// joins the feeder, then frees the slot.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/result.hpp"
#include "media/encoder_settings.hpp"
#include "media/ffmpeg_argv.hpp"
#include "media/media_info.hpp"
#include "media/requests.hpp"
#include "overlay/frame_painter.hpp"
#include "process/child_process.hpp"
#include "process/job_runner.hpp"
#include "process/media_stream.hpp"
#include "process/output_reader.hpp"

namespace frameserve::overlay {

struct OverlayRequest {
  std::shared_ptr<const media::MediaFile> file;
  media::FrameRange range;
  bool audio = true;
  media::StreamFormat format = media::StreamFormat::fragmented_mp4;
  media::EncoderSettings encoder;
  // An HLS segment: its place on the range's timeline and its audio cut
  // (media::apply_hls_segment_timing); a plain stream when absent.
  std::optional<media::HlsSegmentTiming> hls_timing;
};

class OverlayStream : public process::MediaStream {
 public:
  // Takes a stream slot, starts both children and the feeder, and waits for
  // the encoder's first bytes. Errors: `unavailable`, `tool_failed`.
  static Result<std::unique_ptr<OverlayStream>> start(const process::JobRunner& runner, OverlayRequest request,
                                                      std::unique_ptr<FramePainter> painter);
  ~OverlayStream() override;

  process::StreamOutcome pump(process::ByteSink& sink) override;

 private:
  OverlayStream(process::JobSlot slot, OverlayRequest request, std::unique_ptr<FramePainter> painter,
                std::chrono::steady_clock::time_point deadline);
  void feed();
  void stop_children();

  process::JobSlot m_slot;
  OverlayRequest m_request;
  std::unique_ptr<FramePainter> m_painter;
  std::chrono::steady_clock::time_point m_deadline;
  std::unique_ptr<process::ChildProcess> m_decoder;
  std::unique_ptr<process::ChildProcess> m_encoder;
  std::unique_ptr<process::OutputReader> m_encoder_output;
  std::thread m_feeder;
  std::atomic<bool> m_stop{false};
  // Written by the feeder before it exits; read after join().
  int64_t m_frames_fed = 0;
  std::string m_feed_error;
  std::string m_buffer;
  size_t m_pending = 0;
};

}  // namespace frameserve::overlay
