// StreamJob: the one way a stream's ffmpeg children run. Started only by
// JobRunner::start_stream (one child) and JobRunner::start_pipeline
// (source child -> StreamFeeder thread -> output child), it
//  - holds one stream job slot for the whole job (a pipeline is one job),
//  - waits for the output child's first stdout bytes (so that a failure to
//    start is still a clean error, not a cut response),
//  - pumps the output child's stdout to a ByteSink (process/child_pump)
//    through a ParkingSink (a paused reader parks the slot), until EOF, a
//    departed client, the stream deadline or the drain deadline,
//  - tears down in one order: stop flag, close the output's stdout and
//    terminate it (SIGTERM, grace, SIGKILL, reap), terminate and reap the
//    source, join the feeder thread, destroy the feeder, free the slot.
//
// Ownership: the job owns its children, its feeder and its thread; the
// members are declared so that the slot is destroyed last.
// Thread-safety: one owner (the requesting thread, then the HTTP provider
// or the CLI); only the feeder thread runs concurrently, and it touches
// nothing but the source's stdout/stderr, the output's stdin, the feeder and
// m_feed_error (read by the owner only after joining it).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.hpp"
#include "process/child_process.hpp"
#include "process/job_limiter.hpp"
#include "process/media_stream.hpp"
#include "process/output_reader.hpp"
#include "process/stream_feeder.hpp"

namespace frameserve::process {

class StreamJob : public MediaStream {
 public:
  // Spawns `source_argv` (unless empty) and `output_argv` (its stdin a pipe
  // when there is a feeder), starts the feeder thread, and waits until
  // `first_bytes_by` for the output's first bytes; the whole stream ends at
  // `deadline`. A feeder is required with a source and refused without one
  // (`internal`). Errors: `internal` (cannot spawn), `tool_failed` (no
  // output in time, or the output child ended without output: its stderr's
  // last line, else the feeder's reason, else its exit status), `unavailable`
  // (client_gone: the requester left first). Every failure is counted
  // (job_metrics) and leaves no child or thread behind.
  static Result<std::unique_ptr<StreamJob>> start(JobSlot slot, std::vector<std::string> output_argv,
                                                  std::vector<std::string> source_argv,
                                                  std::unique_ptr<StreamFeeder> feeder,
                                                  std::chrono::steady_clock::time_point first_bytes_by,
                                                  std::chrono::steady_clock::time_point deadline);
  ~StreamJob() override;
  StreamJob(const StreamJob&) = delete;
  StreamJob& operator=(const StreamJob&) = delete;

  // See MediaStream. A pipeline whose output child completed still ends
  // `failed` when its feeder reported a reason. Frames are counted by the
  // output child's `-progress pipe:2` lines, which stream commands carry.
  StreamOutcome pump(ByteSink& sink, const FrameProgress& on_frames) override;
  using MediaStream::pump;

  static constexpr size_t k_chunk_size = 256 * 1024;

 private:
  StreamJob(JobSlot slot, std::unique_ptr<StreamFeeder> feeder, std::unique_ptr<ChildProcess> source,
            std::unique_ptr<ChildProcess> output, std::chrono::steady_clock::time_point deadline);
  // Runs on m_feeder_thread.
  void run_feeder();
  // Stop flag, terminate the children (output first), join the feeder.
  // Idempotent; the owner's thread only.
  void stop_all();

  JobSlot m_slot;
  std::unique_ptr<StreamFeeder> m_feeder;
  std::unique_ptr<ChildProcess> m_source;
  std::unique_ptr<ChildProcess> m_output;
  OutputReader m_reader;  // reads m_output
  std::chrono::steady_clock::time_point m_deadline;
  std::atomic<bool> m_stop{false};
  std::thread m_feeder_thread;
  std::string m_feed_error;  // written by the feeder thread, read after join
  std::string m_buffer;
  size_t m_pending = 0;  // bytes of m_buffer read before pump() was called
};

}  // namespace frameserve::process
