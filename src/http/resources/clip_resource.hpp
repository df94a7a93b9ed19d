// GET /api/v1/file/:file_uuid/clip?start_frame&end_frame | start_time&end_time
//   [&fps][&audio=on|off][&mode=normal|debug]
//
// A frame-exact clip (first frame is start_frame, exactly
// end_frame - start_frame + 1 frames) re-encoded to H.264 + AAC in MPEG-TS,
// streamed while ffmpeg encodes. Range headers are ignored (200,
// Accept-Ranges: none). mode=debug draws "CLIP" and the source frame number
// on every frame. Rendered by render::RenderService, answered by
// http::answer_render.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

// Errors: as read_clip_request and answer_render.
Status get_clip(RequestContext& ctx);

}  // namespace frameserve::http
