// GET /, GET /api/v1 and GET /api/v1/openapi.json: where a client starts.
// No authentication; they say what frameserve is, link to the lists (which
// do need credentials) and describe the whole API. A browser asking for `/`
// (Accept: text/html) gets the viewer instead (viewer_resource.hpp).
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

// {"success":true,"name":"frameserve","api":"/api/v1"}, or the viewer page
// when the client's Accept names text/html.
Status get_root(RequestContext& ctx);
// {"success":true,"name","version","links":{...}}
Status get_api_index(RequestContext& ctx);
// The OpenAPI 3.1 document (api/openapi.json, embedded); cannot fail.
Status get_openapi_document(RequestContext& ctx);

}  // namespace frameserve::http
