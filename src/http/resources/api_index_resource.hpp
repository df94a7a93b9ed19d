// GET /, GET /api/v1 and GET /api/v1/openapi.json: where a client starts.
// No authentication; they say what frameserve is, link to the lists (which
// do need credentials) and describe the whole API.
// `/` stays one small handler: a viewer page may take it over later.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

// {"success":true,"name":"frameserve","api":"/api/v1"}
Status get_root(RequestContext& ctx);
// {"success":true,"name","version","links":{...}}
Status get_api_index(RequestContext& ctx);
// The OpenAPI 3.1 document (api/openapi.json, embedded); cannot fail.
Status get_openapi_document(RequestContext& ctx);

}  // namespace frameserve::http
