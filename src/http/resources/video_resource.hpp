// GET /api/v1/file/:file_uuid/video[?start_frame&end_frame|start_time&end_time][&audio][&mode][&format]
//
// Without a range: the file itself, with full HTTP Range support (206,
// multipart/byteranges, 416, If-Range, ETag/Last-Modified, HEAD). With a
// range (or audio=off): stream copy as fragmented MP4 that a browser plays
// while it downloads, starting at the keyframe at or before start_frame.
// mode=debug: the /video/bbox view. format=hls: an HLS VOD playlist of the
// view (exact frames, re-encoded) and, with segment=N, its segments.
// Rendered by render::RenderService, answered by http::answer_render.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

// Errors: as read_video_request and answer_render.
Status get_video(RequestContext& ctx);

}  // namespace frameserve::http
