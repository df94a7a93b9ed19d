// OverlayFeeder: the overlay-specific middle of an overlay stream — reads
// the decoder's raw I420 frames, lets a FramePainter draw on each, and
// writes them, each with its exact timestamp, as Matroska to the encoder.
//
// It spawns nothing and owns no child: the process layer's StreamJob (via
// JobRunner::start_pipeline) owns both children and the thread feed() runs
// on, and stops it (see process/stream_feeder.hpp for the order of death).
// The feeder owns the painter and a shared reference to the media file.
//
// Frame i of the decoder's output is source frame range.first + i: the
// decoder picks frames by their exact pts (media::build_raw_decode_command).
// Thread-safety: used by the feeder thread only, once.
#pragma once

#include <memory>
#include <string>

#include "media/media_info.hpp"
#include "media/requests.hpp"
#include "overlay/frame_painter.hpp"
#include "process/stream_feeder.hpp"

namespace frameserve::overlay {

class OverlayFeeder : public process::StreamFeeder {
 public:
  OverlayFeeder(std::shared_ptr<const media::MediaFile> file, media::FrameRange range,
                std::unique_ptr<FramePainter> painter)
      : m_file(std::move(file)), m_range(range), m_painter(std::move(painter)) {}

  // Feeds every frame of the range. Returns "" when all range.count()
  // frames were written, else why not (decoder short, painter error,
  // encoder gone, or "frames missing" when stopped early).
  std::string feed(process::OutputReader& decoder, int encoder_stdin, const std::atomic<bool>& stop) override;

 private:
  std::shared_ptr<const media::MediaFile> m_file;
  media::FrameRange m_range;
  std::unique_ptr<FramePainter> m_painter;
};

}  // namespace frameserve::overlay
