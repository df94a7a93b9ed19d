// MediaStream: bytes produced by supervised children, delivered to a sink.
//
// Started by JobRunner (start_stream, start_pipeline: both a StreamJob,
// which waits for the first bytes, so that a failure to start can still be
// reported as a clean error) and then pumped to a ByteSink. Destroying a
// stream terminates and reaps its children, joins its threads and frees its
// job slot, whether it finished, failed, or its client went away.
// Thread-safety: one owner at a time; pump() and destruction on its thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "process/byte_sink.hpp"

namespace frameserve::process {

struct StreamOutcome {
  enum class End { completed, client_gone, deadline, failed };
  End end = End::completed;
  std::string detail;  // why, for the log, when not completed
  uint64_t bytes = 0;
  // For failed: a metric label from a bounded set (exit_code, signal,
  // output_limit, no_output); empty otherwise.
  std::string exit_reason;

  bool completed() const { return end == End::completed; }
  // One line for the log ("client went away", "failed: …"); never fails.
  std::string describe() const;
};

// Called on the pumping thread with the number of frames the stream's
// (output) ffmpeg has written so far, about twice a second; must not block.
using FrameProgress = std::function<void(int64_t frames_done)>;

class MediaStream {
 public:
  virtual ~MediaStream() = default;
  // Copies the remaining output to `sink` until the children finish, the sink
  // closes or the deadline passes, telling `on_frames` (when set) how far
  // the encode is. Call once.
  virtual StreamOutcome pump(ByteSink& sink, const FrameProgress& on_frames) = 0;
  StreamOutcome pump(ByteSink& sink) { return pump(sink, nullptr); }
};

}  // namespace frameserve::process
