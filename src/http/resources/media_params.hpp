// Query parameters shared by the media endpoints: frame/time ranges, audio
// and mode. Parsing only; validation against the video is media::resolve_range.
#pragma once

#include <string>

#include "common/result.hpp"
#include "http/query_params.hpp"
#include "media/requests.hpp"

namespace frameserve::http {

// The parameters every video streaming endpoint takes.
struct StreamParams {
  media::RangeSpec range;  // start_frame, end_frame, start_time, end_time, fps
  bool audio = true;       // audio=on|off
  bool debug = false;      // mode=normal|debug
};
Result<StreamParams> read_stream_params(const QueryParams& query);

// A strong ETag from the parts that determine a generated body.
std::string derived_etag(const std::string& kind, const std::string& parts);

}  // namespace frameserve::http
