// JobRunner: runs ffmpeg/ffprobe commands under the server's rules —
// resolved tool paths, the job cap, deadlines, and always-reaped children.
// It is the only place that starts a child for a request: short jobs run to
// completion here (run_capture*), streams of one child (start_stream) and
// pipelines of two children with a feeder thread between them
// (start_pipeline) all become a StreamJob, so they share one slot rule, one
// first-bytes wait, one pump and one teardown order (process/stream_job).
//
// One instance is shared by the HTTP server and used by the CLI (with an
// unlimited limiter), so both run exactly the same code path.
// Thread-safe: all state is immutable or owned by the JobLimiter.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "process/command.hpp"
#include "process/job_limiter.hpp"
#include "process/media_stream.hpp"
#include "process/tool_paths.hpp"

namespace frameserve::process {

class StreamFeeder;  // process/stream_feeder.hpp

struct JobTimeouts {
  // How long a request waits for a job slot before 503.
  std::chrono::milliseconds queue_wait{5000};
  // Deadline of short jobs (frame extraction, probes, blur measurement),
  // and how long a stream may take to produce its first bytes.
  std::chrono::milliseconds short_deadline{60000};
  // Deadline of streams (clips, overlay videos), from start to last byte.
  std::chrono::milliseconds stream_deadline{6 * 3600 * 1000};
};

class JobRunner {
 public:
  JobRunner(ToolPaths tools, JobLimiter& limiter, JobTimeouts timeouts)
      : m_tools(std::move(tools)), m_limiter(limiter), m_timeouts(timeouts) {}

  const ToolPaths& tools() const { return m_tools; }
  const JobTimeouts& timeouts() const { return m_timeouts; }
  std::vector<std::string> argv_for(const Command& command) const;

  // Takes a job slot (waits up to queue_wait; `unavailable` when full).
  Result<JobSlot> acquire(JobClass cls) const;

  // Runs a short job to completion under a slot and returns its stdout.
  // Errors: `unavailable` (no slot), `tool_failed` (non-zero exit, deadline,
  // or more than `max_output` bytes), `internal` (cannot start).
  // `deadline` overrides the short-job deadline (e.g. scanning a film's packets).
  Result<std::string> run_capture(const Command& command, size_t max_output,
                                  std::chrono::milliseconds deadline = {}) const;

  // Same, for a caller that already holds a slot (jobs made of several runs).
  Result<std::string> run_capture_in_slot(const Command& command, size_t max_output,
                                          std::chrono::milliseconds deadline = {}) const;

  // Starts a single-child stream under a new stream slot and waits for its
  // first bytes (at most short_deadline; the stream ends at
  // stream_deadline). Errors: `unavailable` (no slot, or the requester left
  // first), `tool_failed` (no output: ffmpeg's reason), `internal`.
  Result<std::unique_ptr<MediaStream>> start_stream(const Command& command) const;

  // Starts a two-child stream under one stream slot: `source` (stdout read
  // by `feeder` on a thread of the job) and `output` (stdin written by the
  // feeder; its stdout is the stream), then waits for the output's first
  // bytes. Same deadlines and errors as start_stream; a feeder's reason is
  // reported when ffmpeg gives none.
  Result<std::unique_ptr<MediaStream>> start_pipeline(const Command& source, const Command& output,
                                                      std::unique_ptr<StreamFeeder> feeder) const;

 private:
  // Both stream entry points: a slot, then StreamJob::start.
  Result<std::unique_ptr<MediaStream>> start_job(const Command& output, const Command* source,
                                                 std::unique_ptr<StreamFeeder> feeder) const;

  ToolPaths m_tools;
  JobLimiter& m_limiter;
  JobTimeouts m_timeouts;
};

}  // namespace frameserve::process
