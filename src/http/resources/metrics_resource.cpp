#include "http/resources/metrics_resource.hpp"

#include "common/metrics.hpp"
#include "process/drain.hpp"
#include "process/job_metrics.hpp"

namespace frameserve::http {

Status get_metrics(RequestContext& ctx) {
  auto& m = metrics::get();
  auto jobs = ctx.app().limiter().stats();
  int short_running = jobs.running - jobs.running_streams;
  m.jobs_running.Add({{"kind", process::job_kind(process::JobClass::short_job)}}).Set(short_running);
  m.jobs_running.Add({{"kind", process::job_kind(process::JobClass::stream)}}).Set(jobs.running_streams);
  metrics::unlabelled(m.jobs_queued).Set(jobs.waiting);
  metrics::unlabelled(m.jobs_parked).Set(jobs.parked);
  metrics::unlabelled(m.streams_open).Set(ctx.server.streams.active());
  auto pool = ctx.app().pool().stats();
  metrics::unlabelled(m.db_pool_in_use).Set(pool.in_use);
  metrics::unlabelled(m.db_pool_waiting).Set(pool.waiting);
  metrics::unlabelled(m.draining).Set(process::draining() ? 1 : 0);

  ctx.res.status = 200;
  ctx.res.set_header("Cache-Control", "no-store");
  ctx.res.set_content(m.text(), "text/plain; version=0.0.4; charset=utf-8");
  return Status();
}

}  // namespace frameserve::http
