// Overlay streams (fragmented MP4, H.264 + AAC, playable while downloading):
//
// GET /api/v1/file/:file_uuid/video/bbox
//     every detection boxed and labelled; optional range (default: the
//     whole file), pad_frames, audio.
// GET /api/v1/file/:file_uuid/trace/:trace_id/video
//     follows one trace: its box thick and labelled, every other trace
//     dimmed (thin grey, no label); default range: the trace's first to last
//     frame; optional start/end, pad_frames, audio.
// GET /api/v1/file/:file_uuid/video?mode=debug — as /video/bbox.
//
// Range headers are ignored (200, Accept-Ranges: none).
#pragma once

#include "http/request_context.hpp"
#include "overlay/overlay_service.hpp"

namespace frameserve::http {

Status get_bbox_video(RequestContext& ctx);
Status get_trace_video(RequestContext& ctx);

// Reads start/end, pad_frames and audio and streams the overlay.
Status stream_detection_overlay(RequestContext& ctx, overlay::DetectionOverlaySpec spec);

// trace_id from the path; `invalid_argument` when it is not a number.
Result<int64_t> parse_trace_id(const std::string& text);

}  // namespace frameserve::http
