// GET /api/v1/file/:file_uuid/thumbnail?frame=N[&x&y&w&h][&format][&quality][&width][&height]
//
// One exact frame (zero-based, presentation order) as JPEG, or PNG with
// format=png; crop all-or-none, validated against the picture; scaled
// keeping aspect. Cacheable for a day, strong ETag, 304 on If-None-Match
// (answered without running ffmpeg).
#pragma once

#include <string>

#include "http/request_context.hpp"
#include "media/requests.hpp"

namespace frameserve::http {

Status get_thumbnail(RequestContext& ctx);

// The strong ETag of an image made by media::extract_frame from `file`:
// every input that changes the bytes (the file and its mtime, the frame, the
// crop, the format, the JPEG quality, the output size) is part of it, so a
// different image never matches. `kind` separates the endpoints. Never fails.
std::string frame_image_etag(const std::string& kind, const media::MediaFile& file, const media::FrameRequest& r);

// Answers 304 (with the ETag and the images' public cache header) when the request's
// If-None-Match matches `etag`; returns whether it did. Never fails.
bool answer_image_not_modified(RequestContext& ctx, const std::string& etag);

// Sends an encoded image with the headers every image endpoint shares.
void send_image(RequestContext& ctx, std::string image, const std::string& content_type, const std::string& etag);

}  // namespace frameserve::http
