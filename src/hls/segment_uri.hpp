// Segment URIs of a playlist served over HTTP, and reading them back.
//
// A segment's URI is the playlist's own URL (relative: its last path
// component plus the unchanged query) with `&rev=R&segment=N.ts` appended, R
// the view's revision (replacing a `rev` the playlist's URL had).
// Authentication, scope and every picture parameter are therefore checked on
// a segment exactly as on the playlist, a playlist fetched with
// ?access_token= hands its token on to its segments, and a segment URL names
// the revision it shows, so it may be cached long.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace frameserve::hls {

// The URI of segment `index` in the playlist answered for `path` (the
// request's path) and `target` (path and query as requested). Cannot fail.
std::string segment_uri(const std::string& path, const std::string& target, const std::string& revision, int64_t index);

// "N" or "N.ts" naming a segment of a playlist of `count` segments. Errors:
// `invalid_argument` ("bad_segment", naming the valid numbers).
Result<int64_t> parse_segment_number(const std::string& text, size_t count);

}  // namespace frameserve::hls
