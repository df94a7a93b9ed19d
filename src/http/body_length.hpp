// The body length a request announces (Content-Length), for refusing a
// body before reading it.
#pragma once

#include <httplib.h>

#include <cstdint>

namespace frameserve::http {

// Whether the request announced a body of more than `cap` bytes. A length
// too large for any counter (all digits, beyond 2^63) counts as announced:
// it is refused as too large (413), never read until the client gives up.
// False without a Content-Length or with one that is not a number.
bool announced_body_beyond(const httplib::Request& req, int64_t cap);

}  // namespace frameserve::http
