// GET / and GET /api/v1: where a client starts. No authentication; they say
// what frameserve is and link to the lists (which do need credentials).
// `/` stays one small handler: a viewer page may take it over later.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

// {"success":true,"name":"frameserve","api":"/api/v1"}
Status get_root(RequestContext& ctx);
// {"success":true,"name","version","links":{...}}
Status get_api_index(RequestContext& ctx);

}  // namespace frameserve::http
