// Drain: the process-wide "stopping" state set on SIGTERM/SIGINT.
//
// While draining, no new ffmpeg job starts (JobLimiter refuses with 503),
// and every running job — short or stream — ends at the drain deadline at
// the latest (the pumps check it as they check their own deadlines). It
// lives in the process layer because that is where jobs start and end; the
// HTTP layer reads it for /readyz and to refuse new requests.
// Thread-safe (one atomic); a drain cannot be undone.
#pragma once

#include <chrono>

namespace frameserve::process {

// Starts draining; jobs still running at `deadline` are terminated. A second
// call keeps the earlier deadline. Never fails.
void begin_drain(std::chrono::steady_clock::time_point deadline);

// True once begin_drain() was called.
bool draining();

// The drain deadline, or time_point::max() when not draining.
std::chrono::steady_clock::time_point drain_deadline();

}  // namespace frameserve::process
