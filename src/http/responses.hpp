// Helpers that fill an httplib::Response the way every frameserve endpoint
// answers: JSON bodies, the JSON error envelope, cache headers.
#pragma once

#include <httplib.h>

#include <string>

#include "common/result.hpp"

namespace frameserve::http {

void send_json(httplib::Response& res, int status, const std::string& body);

// {"success":false,"error":{"code","message"}} with the error's status, and
// Retry-After for 503s.
void send_error(httplib::Response& res, const Error& error);

// Cache-Control for immutable derived media (frames, clips): one day.
void set_public_day_cache(httplib::Response& res);

// Answers 304 with `etag` when the request's If-None-Match names it, and
// says whether it did. Headers already set on `res` (Cache-Control) go out
// with the 304 too, so callers set them first. Never fails.
bool answer_not_modified(const httplib::Request& req, httplib::Response& res, const std::string& etag);

}  // namespace frameserve::http
