// GET /api/v1/file/:file_uuid/trace/:trace_id/representative-face
//     the best face of a trace (two-stage selection, memoized) as JSON.
// GET /api/v1/file/:file_uuid/trace/:trace_id/thumbnail[?size=S][&quality=Q]
//     that face as a 320x320 (or SxS) JPEG: a square around the box, never
//     distorted; cacheable for a day, an ETag covering size and quality, 304.
// GET /api/v1/file/:file_uuid/trace/:trace_id/preview[?format=webp|gif][&width=W][&fps=F]
//     an animated WebP (or GIF) of the trace's sharpest seconds, its face
//     box drawn (faces/trace_preview); private, an ETag naming the
//     detections revision, 304.
// 404 for an unknown trace or a trace without detections.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status get_representative_face(RequestContext& ctx);
Status get_trace_thumbnail(RequestContext& ctx);
Status get_trace_preview(RequestContext& ctx);

}  // namespace frameserve::http
