// GET /healthz — liveness: checks the database and reports job, stream and
// connection counts. 200 when the database answers, 503 otherwise.
// GET /readyz — readiness for a load balancer: 200 when the database
// answers, ffmpeg is there to run and the process is not draining (after
// SIGTERM/SIGINT), 503 with the JSON error otherwise.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status get_health(RequestContext& ctx);
Status get_ready(RequestContext& ctx);

}  // namespace frameserve::http
