// GET /metrics — the Prometheus text format 0.0.4, without authentication
// (the generated nginx config does not expose it: scrape each instance
// directly). Gauges that describe "now" (jobs running and queued, streams,
// the database pool) are sampled from their owners at scrape time; counters
// and histograms are kept as things happen (see common/metrics.hpp).
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

// Always 200; never touches the database.
Status get_metrics(RequestContext& ctx);

}  // namespace frameserve::http
