// Serving a file from disk with full HTTP semantics: ETag/Last-Modified,
// 304 for If-None-Match/If-Modified-Since, HEAD, and Range (single ranges as
// 206, several as multipart/byteranges, unsatisfiable as 416 with
// Content-Range: bytes */SIZE), decided as nginx decides them.
#pragma once

#include <string>

#include "common/result.hpp"
#include "http/request_context.hpp"

namespace frameserve::http {

// Errors: `not_found` when the file has vanished from disk.
Status send_file(RequestContext& ctx, const std::string& path, const std::string& content_type);

// Content-Type from the file's extension (video/mp4, video/webm, ...).
std::string content_type_for_path(const std::string& path);

}  // namespace frameserve::http
