// Reading a small request body (a JSON document) whole, refusing one beyond
// a cap before or while it arrives: registrations (POST /api/v1/files) and
// frame batches (POST .../frames). Thread-safe (per request).
#pragma once

#include <cstddef>
#include <string>

#include "common/result.hpp"
#include "http/request_context.hpp"

namespace frameserve::http {

// The body, "" when there is none. Errors: `too_large` (the caller's 413,
// also when the announced length is beyond `cap`; the connection then
// closes), `invalid_argument` ("body_incomplete") when the client went away
// mid-body.
Result<std::string> read_small_body(RequestContext& ctx, size_t cap, const Error& too_large);

}  // namespace frameserve::http
