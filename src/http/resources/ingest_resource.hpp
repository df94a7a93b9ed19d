// The write side of the API (issue 9 §2), all behind the write scope:
//   POST   /api/v1/files                            register a file under a --media-root
//   DELETE /api/v1/file/:file_uuid                  remove a file and its detections (not the media)
//   PUT    /api/v1/file/:file_uuid/detections       replace the file's detections
//   POST   /api/v1/file/:file_uuid/detections       add traces to them
// Registration and import run the same functions as `file add` and
// `import` (import/file_registration, import/detection_importer). Bodies
// are read in chunks as they arrive and capped by --max-upload-bytes (413).
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status register_file(RequestContext& ctx);
Status delete_file(RequestContext& ctx);
Status replace_detections(RequestContext& ctx);
Status append_detections(RequestContext& ctx);

}  // namespace frameserve::http
