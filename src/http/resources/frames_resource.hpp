// POST /api/v1/file/:file_uuid/frames
//     many exact frames in one request, cropped and resized, as a streamed
//     POSIX tar (WebDataset layout; frames/frame_batch_stream). The JSON body
//     is a frames::FramesRequest; a bad one is a 400 naming its first bad
//     item, before any byte of the tar. Read scope (it is a read with a body).
// GET /api/v1/file/:file_uuid/identities/:identity_uuid/faces.tar
//     ?per_trace=N&size=S&margin=F&format=png|jpeg|raw
//     the N sharpest faces of each of the identity's traces, square crops
//     resized to S x S, as the same tar (FramesService::plan_identity_faces).
// GET /api/v1/file/:file_uuid/frame-index
//     the frame numbering as TorchCodec custom_frame_mappings JSON.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

Status post_frames(RequestContext& ctx);
Status get_frame_index(RequestContext& ctx);
Status get_identity_faces_tar(RequestContext& ctx);

}  // namespace frameserve::http
