// GET /api/v1/file/:file_uuid/video[?start_frame&end_frame|start_time&end_time][&audio][&mode]
//
// Without a range: the file itself, with full HTTP Range support (206,
// multipart/byteranges, 416, If-Range, ETag/Last-Modified, HEAD). With a
// range (or audio=off): stream copy as fragmented MP4 that a browser plays
// while it downloads, starting at the keyframe at or before start_frame.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status get_video(RequestContext& ctx);

}  // namespace frameserve::http
