// What a file holds, for clients that draw or pick faces themselves:
//   GET /api/v1/file/:file_uuid/identities
//   GET /api/v1/file/:file_uuid/traces[?identity_uuid=]
//   GET /api/v1/file/:file_uuid/detections?start_frame=&end_frame=
// Each is paged with limit/cursor (http/paging.hpp); detections page by
// frame (limit counts frames that hold detections) within a range of at
// most 10 000 frames.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status list_identities(RequestContext& ctx);
Status list_traces(RequestContext& ctx);
Status list_detections(RequestContext& ctx);

}  // namespace frameserve::http
