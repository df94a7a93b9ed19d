// GET /api/v1/files and GET /api/v1/file/:file_uuid: the files the caller
// may see, with their counts; one file adds its streams and its state on
// disk ("ok", "missing", "changed").
//
// The list is in registration order and paged with limit/cursor (see
// http/paging.hpp); a key limited to some files lists only those.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status list_files(RequestContext& ctx);
Status get_file_info(RequestContext& ctx);
// {"success":true,"file":{...}} as GET /api/v1/file/:file_uuid answers it,
// also the body of a 201 from POST /api/v1/files. Sets `status` to
// `not_found` or `unavailable` (and returns "") when it cannot.
// `indexing` is how `media`'s frames are numbered (media::indexing_name).
std::string file_object_json(app::AppContext& app, const media::MediaFile& media, Status& status);

}  // namespace frameserve::http
