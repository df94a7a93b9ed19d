// GET /healthz — liveness and readiness: checks the database and reports
// job and stream counts. 200 when the database answers, 503 otherwise.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status get_health(RequestContext& ctx);

}  // namespace frameserve::http
