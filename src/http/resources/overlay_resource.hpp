// Overlay streams (fragmented MP4, H.264 + AAC, playable while downloading;
// format=hls: an HLS playlist and its segments), rendered by
// render::RenderService and answered by http::answer_render:
//
// GET /api/v1/file/:file_uuid/video/bbox
//     every detection boxed and labelled; optional range (default: the
//     whole file), pad_frames, audio, format.
// GET /api/v1/file/:file_uuid/trace/:trace_id/video
//     follows one trace: its box thick and labelled, every other trace
//     dimmed (thin grey, no label); default range: the trace's first to last
//     frame; optional start/end, pad_frames, audio, format.
// (GET /api/v1/file/:file_uuid/video?mode=debug is the /video/bbox view;
// see video_resource.hpp.)
//
// Range headers are ignored (200, Accept-Ranges: none). Stateless.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

// Errors: as read_overlay_request and answer_render.
Status get_bbox_video(RequestContext& ctx);
// Errors: "bad_trace_id", then as get_bbox_video.
Status get_trace_video(RequestContext& ctx);

}  // namespace frameserve::http
