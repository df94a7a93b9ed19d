// GET /api/v1/file/:file_uuid/identities/:identity_uuid/scenes and
// GET /api/v1/file/:file_uuid/identities/:a/co-occur-with/:b/scenes
//
// Every scene of a person (or of two people together) as inclusive film
// frames, with the traces seen in each and where each begins in the scene
// video (faces/scenes.hpp has the rule). Query: pad_frames, gap_frames
// (0..1,000,000; defaults 1 s and 2 s of the file's frame rate). 404 for an
// identity unknown or absent from the file; 400 for bad parameters or A = B.
//
// GET .../identities/:identity_uuid/video and .../co-occur-with/:b/video:
// the scene video, those scenes played one after another as one HLS VOD
// playlist (format=hls, the default; segments never cross a scene, one
// continuous timeline), rendered by render::RenderService; mode=debug draws
// the boxes with the people's traces highlighted; the same pad_frames and
// gap_frames. format=mp4 is a 400 for now.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status get_identity_scenes(RequestContext& ctx);
Status get_cooccurrence_scenes(RequestContext& ctx);
// Errors: as the scenes JSON, then as answer_render.
Status get_identity_video(RequestContext& ctx);
Status get_cooccurrence_video(RequestContext& ctx);

}  // namespace frameserve::http
