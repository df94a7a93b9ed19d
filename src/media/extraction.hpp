// Frame extraction behind GET .../thumbnail and `frameserve thumbnail` (both
// call extract_frame()). Streams (clips, copies, overlays, HLS) are rendered
// by render::RenderService. Stateless; thread-safe.
#pragma once

#include <memory>
#include <string>

#include "common/result.hpp"
#include "media/encoder_settings.hpp"
#include "media/media_info.hpp"
#include "media/requests.hpp"
#include "process/job_runner.hpp"
#include "process/media_stream.hpp"

namespace frameserve::media {

// Encodes one exact frame. Errors: `invalid_argument` (validate_frame_request),
// `unavailable` (no job slot), `tool_failed`.
Result<std::string> extract_frame(const process::JobRunner& runner, const MediaFile& file, const FrameRequest& request);

}  // namespace frameserve::media
