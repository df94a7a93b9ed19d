// GET /api/v1/file/:file_uuid/storyboard[.json], .../storyboard.vtt and
// .../storyboard/N.jpg [?interval=S][&width=W][&exact=0|1]
//
// One storyboard (storyboard/storyboard_service) in three representations
// that link each other: every URL inside repeats the request's query, so
// the same parameters select the same storyboard and a credential given as
// access_token reaches the sheets (as HLS segment URIs carry it). Strong
// ETags, 304 on If-None-Match. Cache-Control: the sheets send what
// /thumbnail sends (public, one day: the same kind of derived image under
// the same authorization); the JSON and the WebVTT send `private,
// max-age=86400`, since their bodies embed the caller's credential.
#pragma once

#include "common/result.hpp"
#include "http/request_context.hpp"

namespace frameserve::http {

Status get_storyboard_json(RequestContext& ctx);
Status get_storyboard_vtt(RequestContext& ctx);
Status get_storyboard_sheet(RequestContext& ctx);

}  // namespace frameserve::http
