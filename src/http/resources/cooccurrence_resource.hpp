// GET /api/v1/file/:file_uuid/identities/:identity_uuid_a/co-occur-with/:identity_uuid_b
//
// The first frame where both identities appear, how many frames they share,
// and each one's best face among those frames. 404 for an unknown identity,
// one absent from the file, or two that never meet; 400 when A = B.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status get_cooccurrence(RequestContext& ctx);

}  // namespace frameserve::http
