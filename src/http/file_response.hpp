// Serving a file from disk with full HTTP semantics: ETag/Last-Modified,
// 304 for If-None-Match/If-Modified-Since, HEAD, and Range (single ranges as
// 206, several as multipart/byteranges, unsatisfiable as 416 with
// Content-Range: bytes */SIZE), decided as nginx decides them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "http/request_context.hpp"

namespace frameserve::http {

// With --accel-redirect and the file under a media root, answers with
// X-Accel-Redirect and lets nginx send it; otherwise sends it from here.
// `etag_tag`, when given, is put in front of the ETag's modification time
// and size, for files whose name does not say everything they depend on.
// Errors: `not_found` when the file has vanished from disk.
Status send_file(RequestContext& ctx, const std::string& path, const std::string& content_type,
                 const std::string& etag_tag = {});

// The X-Accel-Redirect URI of `path` when it lies (after resolving symlinks)
// inside one of `media_roots`; nullopt otherwise, or when it does not exist.
std::optional<std::string> accel_redirect_target(const std::vector<std::string>& media_roots, const std::string& path);

// Content-Type from the file's extension (video/mp4, video/webm, ...).
std::string content_type_for_path(const std::string& path);

}  // namespace frameserve::http
