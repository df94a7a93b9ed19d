// The extraction operations behind the media endpoints and their CLI twins.
// One implementation each: GET .../thumbnail and `frameserve thumbnail` both
// call extract_frame(), GET .../clip and `frameserve clip` start_clip(),
// GET .../video?start_frame.. and `frameserve video` start_copy_range().
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

// What a stream copy of `spec` holds: `range` (the whole file when `spec`
// gives no range) and the keyframe the copy really starts at, at or before
// range.first, since a copy cannot start between keyframes. GET .../video
// and `frameserve video` both plan with this. Errors: as resolve_range().
struct CopyPlan {
  FrameRange range;
  int64_t first_frame = 0;
};
Result<CopyPlan> plan_copy_range(const RangeSpec& spec, const MediaFile& file);

// Starts the stream-copied fragmented MP4 of `range`.
Result<std::unique_ptr<process::MediaStream>> start_copy_range(const process::JobRunner& runner,
                                                               const MediaFile& file, const FrameRange& range,
                                                               bool audio);

}  // namespace frameserve::media
