// Job metrics: how the process layer reports the end of an ffmpeg job to
// the metrics catalogue (common/metrics), in one place for short jobs
// (JobRunner) and streams (whoever pumps them), so both count alike.
#pragma once

#include "process/job_limiter.hpp"
#include "process/media_stream.hpp"

namespace frameserve::process {

// The `kind` label of a job class: "short" or "stream".
const char* job_kind(JobClass cls);

// Counts how a job ended: deadline → timed out, client_gone → client
// aborted, failed → failed by outcome.exit_reason. Completed jobs count in
// the duration histogram only (see JobSlot). Never fails.
void count_job_end(JobClass cls, const StreamOutcome& outcome);

}  // namespace frameserve::process
