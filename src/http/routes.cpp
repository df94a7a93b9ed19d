#include "http/routes.hpp"

#include "http/resources/health_resource.hpp"

namespace frameserve::http {

namespace {
// /api/v1/file/:file_uuid — the first capture of every file route.
#define FILE_ROUTE "/api/v1/file/([^/]+)"
}  // namespace

void register_routes(Router& r) {
  r.get_public("/healthz", get_health);
}

}  // namespace frameserve::http
