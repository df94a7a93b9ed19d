#include "overlay/overlay_stream.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "common/log.hpp"
#include "overlay/matroska_writer.hpp"
#include "overlay/yuv_canvas.hpp"
#include "process/child_stream.hpp"
#include "process/parking_sink.hpp"

namespace frameserve::overlay {

namespace {
constexpr size_t k_chunk = 256 * 1024;

// Writes all of the buffers, retrying short writes; false on a closed pipe.
bool write_all(int fd, std::vector<iovec> parts) {
  size_t index = 0;
  while (index < parts.size()) {
    ssize_t n = ::writev(fd, parts.data() + index, static_cast<int>(parts.size() - index));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    size_t left = static_cast<size_t>(n);
    while (index < parts.size() && left >= parts[index].iov_len) {
      left -= parts[index].iov_len;
      ++index;
    }
    if (index < parts.size()) {
      parts[index].iov_base = static_cast<char*>(parts[index].iov_base) + left;
      parts[index].iov_len -= left;
    }
  }
  return true;
}
}  // namespace

OverlayStream::OverlayStream(process::JobSlot slot, OverlayRequest request, std::unique_ptr<FramePainter> painter,
                             std::chrono::steady_clock::time_point deadline)
    : m_slot(std::move(slot)), m_request(std::move(request)), m_painter(std::move(painter)), m_deadline(deadline) {
  m_buffer.resize(k_chunk);
}

Result<std::unique_ptr<OverlayStream>> OverlayStream::start(const process::JobRunner& runner, OverlayRequest request,
                                                            std::unique_ptr<FramePainter> painter) {
  auto slot = runner.acquire(process::JobClass::stream);
  if (!slot) return slot.error();
  const media::MediaFile& file = *request.file;
  auto decode = media::build_raw_decode_command(file, request.range);
  auto encode = media::build_overlay_encode_command(file, request.range, request.audio, request.format, request.encoder);
  if (request.hls_timing) media::apply_hls_segment_timing(encode, *request.hls_timing);
  auto deadline = std::chrono::steady_clock::now() + runner.timeouts().stream_deadline;
  std::unique_ptr<OverlayStream> stream(
      new OverlayStream(std::move(slot.value()), std::move(request), std::move(painter), deadline));

  auto decoder = process::ChildProcess::spawn(process::SpawnOptions{runner.argv_for(decode), false});
  if (!decoder) return decoder.error();
  stream->m_decoder = std::move(decoder.value());
  auto encoder = process::ChildProcess::spawn(process::SpawnOptions{runner.argv_for(encode), true});
  if (!encoder) return encoder.error();
  stream->m_encoder = std::move(encoder.value());
  stream->m_encoder_output = std::make_unique<process::OutputReader>(*stream->m_encoder);
  stream->m_feeder = std::thread([raw = stream.get()] { raw->feed(); });

  // Wait for the encoder's first bytes, so a failure is still a clean error.
  auto first_bytes_by = std::min(deadline, std::chrono::steady_clock::now() + runner.timeouts().short_deadline);
  auto first = process::read_first_chunk(*stream->m_encoder_output, stream->m_buffer, first_bytes_by);
  if (!first) return first.error();
  if (first.value() > 0) {
    stream->m_pending = first.value();
    return stream;
  }
  stream->m_encoder_output->drain_stderr(std::chrono::milliseconds(1000));
  std::string reason = stream->m_encoder_output->failure_reason();
  stream->stop_children();
  if (stream->m_feeder.joinable()) stream->m_feeder.join();
  if (reason.empty()) reason = stream->m_feed_error;
  return tool_failed("the overlay stream failed to start: " + (reason.empty() ? "no output" : reason));
}

void OverlayStream::feed() {
  const media::MediaFile& file = *m_request.file;
  const int width = file.info.width;
  const int height = file.info.height;
  const size_t frame_size = i420_frame_size(width, height);
  const media::FrameIndex& index = *file.index;
  const int64_t first_pts = index.pts(m_request.range.first);
  std::vector<uint8_t> frame(frame_size);
  process::OutputReader decoder_output(*m_decoder);

  std::string header = matroska_stream_header(width, height);
  if (!write_all(m_encoder->stdin_fd(), {iovec{header.data(), header.size()}})) {
    m_feed_error = "the encoder stopped reading";
    return;
  }
  for (int64_t i = 0; i < m_request.range.count() && !m_stop.load(); ++i) {
    // One whole raw frame from the decoder.
    size_t filled = 0;
    while (filled < frame_size && !m_stop.load()) {
      auto chunk = decoder_output.read(reinterpret_cast<char*>(frame.data()) + filled, frame_size - filled,
                                       std::chrono::milliseconds(200));
      if (chunk.status == process::OutputReader::Status::data) {
        filled += chunk.size;
      } else if (chunk.status != process::OutputReader::Status::timeout) {
        break;
      }
    }
    if (filled < frame_size) {
      if (!m_stop.load()) {
        decoder_output.drain_stderr(std::chrono::milliseconds(500));
        std::string reason = decoder_output.failure_reason();
        m_feed_error = "the decoder delivered " + std::to_string(i) + " of " + std::to_string(m_request.range.count()) +
                       " frames" + (reason.empty() ? "" : ": " + reason);
      }
      break;
    }
    int64_t source_frame = m_request.range.first + i;
    YuvCanvas canvas(frame.data(), width, height);
    if (Status painted = m_painter->paint(source_frame, canvas); !painted) {
      m_feed_error = "drawing frame " + std::to_string(source_frame) + " failed: " + painted.error().message;
      break;
    }
    int64_t timestamp_us = media::ticks_to_us_floor(index.pts(source_frame) - first_pts, index.time_base());
    std::string prefix = matroska_frame_prefix(timestamp_us, frame_size);
    if (!write_all(m_encoder->stdin_fd(), {iovec{prefix.data(), prefix.size()}, iovec{frame.data(), frame_size}})) {
      if (!m_stop.load()) m_feed_error = "the encoder stopped reading";
      break;
    }
    m_frames_fed = i + 1;
  }
  // End of input: the encoder finishes and exits.
  m_encoder->close_stdin();
}

void OverlayStream::stop_children() {
  m_stop.store(true);
  // Terminating (not closing) unblocks the feeder's reads and writes with
  // EOF/EPIPE while its descriptors stay valid until the join.
  if (m_encoder) m_encoder->terminate();
  if (m_decoder) m_decoder->terminate();
}

OverlayStream::~OverlayStream() {
  stop_children();
  if (m_feeder.joinable()) m_feeder.join();
}

process::StreamOutcome OverlayStream::pump(process::ByteSink& client) {
  process::ParkingSink sink(client, m_slot);
  uint64_t sent = 0;
  if (m_pending > 0) {
    if (!sink.write(m_buffer.data(), m_pending)) return process::StreamOutcome{process::StreamOutcome::End::client_gone, "", 0, ""};
    sent = m_pending;
    m_pending = 0;
  }
  process::StreamOutcome outcome =
      process::pump_child_output(*m_encoder, *m_encoder_output, sink, m_deadline, m_buffer, sent);
  if (outcome.end != process::StreamOutcome::End::completed) return outcome;
  // The encoder finished: the feeder has closed its input, so it is done.
  if (m_feeder.joinable()) m_feeder.join();
  if (!m_feed_error.empty() || m_frames_fed != m_request.range.count()) {
    outcome.end = process::StreamOutcome::End::failed;
    outcome.detail = m_feed_error.empty() ? "frames missing" : m_feed_error;
  }
  return outcome;
}

}  // namespace frameserve::overlay
