// Query parameters shared by the media endpoints: frame/time ranges, audio
// and mode. Parsing only; validation against the video is media::resolve_range.
#pragma once

#include <string>

#include "common/result.hpp"
#include "http/query_params.hpp"
#include "media/requests.hpp"

namespace frameserve::http {

// start_frame, end_frame, start_time, end_time, fps.
Result<media::RangeSpec> read_range_params(const QueryParams& query);
// audio=on|off (default on) -> true when audio is wanted.
Result<bool> read_audio_param(const QueryParams& query);
// mode=normal|debug (default normal) -> true for debug.
Result<bool> read_debug_mode(const QueryParams& query);

// A strong ETag from the parts that determine a generated body.
std::string derived_etag(const std::string& kind, const std::string& parts);

}  // namespace frameserve::http
