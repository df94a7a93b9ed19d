// GET /api/v1/file/:file_uuid/thumbnail?frame=N[&x&y&w&h][&format][&quality][&width][&height]
//
// One exact frame (zero-based, presentation order) as JPEG, or PNG with
// format=png; crop all-or-none, validated against the picture; scaled
// keeping aspect. Cacheable for a day, strong ETag, 304 on If-None-Match
// (answered without running ffmpeg).
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status get_thumbnail(RequestContext& ctx);

// Sends an encoded image with the headers every image endpoint shares.
void send_image(RequestContext& ctx, std::string image, const std::string& content_type, const std::string& etag);

}  // namespace frameserve::http
