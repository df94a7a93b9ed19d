// GET /api/v1/file/:file_uuid/identities/:identity_uuid/scenes and
// GET /api/v1/file/:file_uuid/identities/:a/co-occur-with/:b/scenes
//
// Every scene of a person (or of two people together) as inclusive film
// frames, with the traces seen in each and where each begins in the scene
// video (faces/scenes.hpp has the rule). Query: pad_frames, gap_frames
// (0..1,000,000; defaults 1 s and 2 s of the file's frame rate). 404 for an
// identity unknown or absent from the file; 400 for bad parameters or A = B.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status get_identity_scenes(RequestContext& ctx);
Status get_cooccurrence_scenes(RequestContext& ctx);

}  // namespace frameserve::http
