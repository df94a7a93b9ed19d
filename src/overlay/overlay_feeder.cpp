#include "overlay/overlay_feeder.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "overlay/matroska_writer.hpp"
#include "overlay/yuv_canvas.hpp"
#include "process/pipe_write.hpp"

namespace frameserve::overlay {

std::string OverlayFeeder::feed(process::OutputReader& decoder, int encoder_stdin, const std::atomic<bool>& stop) {
  const media::MediaFile& file = *m_file;
  const int width = file.info.width;
  const int height = file.info.height;
  const size_t frame_size = i420_frame_size(width, height);
  const media::FrameIndex& index = *file.index;
  const int64_t first_pts = index.pts(m_range.first);
  std::vector<uint8_t> frame(frame_size);

  std::string header = matroska_stream_header(width, height);
  if (!process::write_all(encoder_stdin, {iovec{header.data(), header.size()}})) return "the encoder stopped reading";
  int64_t fed = 0;
  for (int64_t i = 0; i < m_range.count() && !stop.load(); ++i) {
    // One whole raw frame from the decoder. The reads time out so that a
    // stop is seen even while the decoder is silent.
    size_t filled = 0;
    while (filled < frame_size && !stop.load()) {
      auto chunk = decoder.read(reinterpret_cast<char*>(frame.data()) + filled, frame_size - filled,
                                std::chrono::milliseconds(200));
      if (chunk.status == process::OutputReader::ReadStatus::data) {
        filled += chunk.size;
      } else if (chunk.status != process::OutputReader::ReadStatus::timeout) {
        break;
      }
    }
    if (filled < frame_size) {
      if (stop.load()) break;
      decoder.drain_stderr(std::chrono::milliseconds(500));
      std::string reason = decoder.failure_reason();
      return "the decoder delivered " + std::to_string(i) + " of " + std::to_string(m_range.count()) + " frames" +
             (reason.empty() ? "" : ": " + reason);
    }
    int64_t source_frame = m_range.first + i;
    YuvCanvas canvas(frame.data(), width, height);
    if (Status painted = m_painter->paint(source_frame, canvas); !painted) {
      return "drawing frame " + std::to_string(source_frame) + " failed: " + painted.error().message;
    }
    int64_t timestamp_us = media::ticks_to_us_floor(index.pts(source_frame) - first_pts, index.time_base());
    std::string prefix = matroska_frame_prefix(timestamp_us, frame_size);
    if (!process::write_all(encoder_stdin, {iovec{prefix.data(), prefix.size()}, iovec{frame.data(), frame_size}})) {
      if (stop.load()) break;
      return "the encoder stopped reading";
    }
    fed = i + 1;
  }
  return fed == m_range.count() ? "" : "frames missing";
}

}  // namespace frameserve::overlay
