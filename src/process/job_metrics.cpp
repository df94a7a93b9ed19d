#include "process/job_metrics.hpp"

#include "common/metrics.hpp"

namespace frameserve::process {

const char* job_kind(JobClass cls) { return cls == JobClass::stream ? "stream" : "short"; }

void count_job_end(JobClass cls, const StreamOutcome& outcome) {
  auto& m = metrics::get();
  switch (outcome.end) {
    case StreamOutcome::End::completed: return;
    case StreamOutcome::End::deadline: m.jobs_timed_out.Add({{"kind", job_kind(cls)}}).Increment(); return;
    case StreamOutcome::End::client_gone: m.jobs_client_aborted.Add({{"kind", job_kind(cls)}}).Increment(); return;
    case StreamOutcome::End::failed:
      m.jobs_failed
          .Add({{"kind", job_kind(cls)}, {"reason", outcome.exit_reason.empty() ? "other" : outcome.exit_reason}})
          .Increment();
      return;
  }
}

}  // namespace frameserve::process
