// `format=hls` on /video, /video?mode=debug, /video/bbox and
// /trace/:id/video: an HLS VOD playlist of the same view and range, and
// (with `segment=N`) its segments, rendered on demand as MPEG-TS.
//
// Segment URLs are the playlist's own URL (relative: last path component
// plus the unchanged query) with `&rev=R&segment=N` appended, R the view's
// revision (see view_revision). Authentication,
// scope and every picture parameter are therefore checked on a segment
// exactly as on the playlist, and a playlist fetched with ?access_token=
// hands its token on to its segments.
//
// Stateless; thread-safe.
#pragma once

#include "common/result.hpp"
#include "http/query_params.hpp"
#include "http/request_context.hpp"
#include "media/requests.hpp"
#include "overlay/hls_segment.hpp"

namespace frameserve::http {

// format=mp4|hls (default mp4): true for hls. Errors: `invalid_argument`
// ("bad_format", naming the valid values), and ("segment_without_hls") for
// segment=N without format=hls.
Result<bool> read_hls_format(const QueryParams& query);

// What a view's answers depend on, as a URL token: the file's registration,
// and for overlays the detections' revision too. Cannot fail.
std::string view_revision(const RequestContext& ctx, const overlay::HlsView& view);

// The Cache-Control of a view's answers (never public: they need
// credentials): the plain video for a day; overlays revalidated every
// time (`no-cache`) unless `versioned_url` (the URL names the current
// revision). Cannot fail.
void set_view_cache(httplib::Response& res, const overlay::HlsView& view, bool versioned_url);

// Answers with the playlist, or with segment N when `segment` is given.
// Errors: `invalid_argument` for a bad segment number (naming the valid
// ones), `unavailable` when no stream slot is free, `tool_failed`.
Status serve_hls(RequestContext& ctx, const overlay::HlsView& view, const media::FrameRange& range, bool audio);

}  // namespace frameserve::http
