// The one pump: how every ffmpeg child's stdout is waited for and copied to
// a ByteSink — short jobs (JobRunner::run_capture_in_slot) and streams
// (StreamJob) alike, so that deadlines, the drain, a departed client and the
// child's exit status are handled in exactly one place.
//
// Blocking corners, chosen here: stdout is never read without poll(2) first
// (OutputReader), so a silent child cannot hold the calling thread past
// k_idle_check; stderr is drained while waiting, so a chatty child can never
// block on a full stderr pipe while we wait on its stdout.
//
// Thread-safety: both functions run on the thread that owns `child` and
// `reader` (neither is shared); they read the process-wide drain deadline
// and the calling thread's cancellation check.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "process/byte_sink.hpp"
#include "process/child_process.hpp"
#include "process/media_stream.hpp"
#include "process/output_reader.hpp"

namespace frameserve::process {

// How often a quiet child's pump checks that its client is still there.
// Also how soon a short job notices that its requester left (cancelled()).
constexpr std::chrono::milliseconds k_idle_check{50};

// Waits until `by` for a child's first stdout bytes, read into `buffer`.
// Returns how many arrived, or 0 when the child ended without output (the
// caller reports why). Errors: `tool_failed` when nothing came in time,
// `unavailable` (client_gone) when the requester left meanwhile; both are
// counted as the end of a stream job (job_metrics).
Result<size_t> read_first_chunk(OutputReader& reader, std::string& buffer, std::chrono::steady_clock::time_point by);

// Copies a child's stdout to `sink` until EOF, the sink closes (or the
// requester is cancelled()) or the deadline (or the drain deadline) passes;
// on a deadline the child is terminated, at EOF it is reaped (2 s patience)
// and a non-zero exit becomes `failed` with stderr's last line. Never throws;
// the outcome says how it ended. `already_sent` counts bytes the caller
// wrote before (StreamOutcome::bytes).
StreamOutcome pump_child_output(ChildProcess& child, OutputReader& reader, ByteSink& sink,
                                std::chrono::steady_clock::time_point deadline, std::string& buffer,
                                uint64_t already_sent);

}  // namespace frameserve::process
