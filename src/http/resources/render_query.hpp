// Reading a stream endpoint's query, once, into a render::RenderRequest:
//
//   /clip                 range (required), audio, mode=normal|debug → MPEG-TS
//   /video                range, audio, format=mp4|hls (+ segment, rev);
//                         mode=debug → as /video/bbox
//   /video/bbox           range, pad_frames, audio, format=mp4|hls (+ segment, rev)
//   /trace/:id/video      the same, following trace :id
//   /identities/:id/video (and .../co-occur-with/:b/video)
//                         pad_frames, gap_frames, audio, mode, format=hls|mp4 (default hls)
//
// Parsing only (names, types, bounds); what the values mean for the file is
// decided by render::RenderService::plan. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "http/query_params.hpp"
#include "render/render_request.hpp"

namespace frameserve::http {

// Errors (all `invalid_argument`): a bad range parameter, audio or mode.
Result<render::RenderRequest> read_clip_request(const QueryParams& query);

// Errors: as read_clip_request, "bad_format", "segment_without_hls",
// a bad pad_frames (mode=debug).
Result<render::RenderRequest> read_video_request(const QueryParams& query);

// /video/bbox (`view` bbox) and /trace/:id/video (`view` trace). Errors: as
// read_video_request.
Result<render::RenderRequest> read_overlay_request(const QueryParams& query, render::View view);

// /identities/:id/video and .../co-occur-with/:b/video (`scenes` names the
// identities): mode=normal|debug, audio, format=hls|mp4 (default hls) with
// segment and rev, pad_frames and gap_frames as for the scenes JSON.
// Errors: `invalid_argument` for a bad value.
Result<render::RenderRequest> read_scene_video_request(const QueryParams& query, faces::SceneQuery scenes);

// trace_id from the path; `invalid_argument` when it is not a number.
Result<int64_t> parse_trace_id(const std::string& text);

}  // namespace frameserve::http
