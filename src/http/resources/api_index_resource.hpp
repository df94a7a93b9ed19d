// GET / and GET /api/v1: where a client starts. No authentication; they say
// what frameserve is and link to the lists (which do need credentials).
// A browser asking for `/` (Accept: text/html) gets the viewer instead
// (viewer_resource.hpp).
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

// {"success":true,"name":"frameserve","api":"/api/v1"}, or the viewer page
// when the client's Accept names text/html.
Status get_root(RequestContext& ctx);
// {"success":true,"name","version","links":{...}}
Status get_api_index(RequestContext& ctx);

}  // namespace frameserve::http
