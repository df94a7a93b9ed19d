// ChildStream: a MediaStream fed by one child's stdout.
//
// Owns the child and its job slot. Members are ordered so that the child is
// terminated and reaped before the slot is released.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "process/child_process.hpp"
#include "process/job_limiter.hpp"
#include "process/media_stream.hpp"
#include "process/output_reader.hpp"

namespace frameserve::process {

class ChildStream : public MediaStream {
 public:
  // Takes ownership of a started child and waits for its first stdout bytes
  // (or its failure) until `first_bytes_by`; the whole stream ends at
  // `deadline`. `tool_failed` if it exits without output or with an error,
  // or stays silent too long.
  static Result<std::unique_ptr<ChildStream>> start(JobSlot slot, std::unique_ptr<ChildProcess> child,
                                                    std::chrono::steady_clock::time_point first_bytes_by,
                                                    std::chrono::steady_clock::time_point deadline);

  StreamOutcome pump(ByteSink& sink) override;

  // How often a quiet stream checks that its client is still there.
  // Also how soon a short job notices that its requester left (cancelled()).
  static constexpr std::chrono::milliseconds k_idle_check{50};
  static constexpr size_t k_chunk_size = 256 * 1024;

 private:
  ChildStream(JobSlot slot, std::unique_ptr<ChildProcess> child,
              std::chrono::steady_clock::time_point deadline);

  JobSlot m_slot;
  std::unique_ptr<ChildProcess> m_child;
  OutputReader m_reader;
  std::chrono::steady_clock::time_point m_deadline;
  std::string m_buffer;
  size_t m_pending = 0;  // bytes of m_buffer read before pump() was called
};

// Waits until `by` for a child's first stdout bytes, read into `buffer`.
// Returns how many arrived, or 0 when the child ended without output (the
// caller reports why). Errors: `tool_failed` when nothing came in time,
// `unavailable` (client_gone) when the requester left meanwhile.
Result<size_t> read_first_chunk(OutputReader& reader, std::string& buffer,
                                std::chrono::steady_clock::time_point by);

// Copies a child's stdout to a sink until EOF, the sink closes (or the
// requester is cancelled()) or the deadline passes; then reaps the child and reports how it ended. Shared by
// ChildStream and the overlay pipeline's encoder side.
StreamOutcome pump_child_output(ChildProcess& child, OutputReader& reader, ByteSink& sink,
                                std::chrono::steady_clock::time_point deadline, std::string& buffer,
                                uint64_t already_sent);

}  // namespace frameserve::process
