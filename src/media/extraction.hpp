// The extraction operations behind the media endpoints and their CLI twins.
// One implementation each: GET .../thumbnail and `frameserve thumbnail` both
// call extract_frame(), GET .../clip and `frameserve clip` start_clip().
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
Result<std::string> extract_frame(const process::JobRunner& runner, const MediaFile& file,
                                  const FrameRequest& request);

// Starts the MPEG-TS clip of `range`; waits for its first bytes.
Result<std::unique_ptr<process::MediaStream>> start_clip(const process::JobRunner& runner, const MediaFile& file,
                                                         const FrameRange& range, bool audio,
                                                         const EncoderSettings& encoder);

// Starts the stream-copied fragmented MP4 of `range`.
Result<std::unique_ptr<process::MediaStream>> start_copy_range(const process::JobRunner& runner,
                                                               const MediaFile& file, const FrameRange& range,
                                                               bool audio);

}  // namespace frameserve::media
