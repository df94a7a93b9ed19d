// What a caller may ask of a video, validated against the video itself.
// The HTTP layer and the CLI fill these structs from their own syntax and
// get the same checks and the same error messages from here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "media/media_info.hpp"

namespace frameserve::media {

struct CropRect {
  int64_t x = 0;
  int64_t y = 0;
  int64_t width = 0;
  int64_t height = 0;
};

enum class ImageFormat { jpeg, png };

// The longest side of a scaled image (thumbnails, face crops). ffmpeg 5.1
// failed to scale a 1x1 crop to 7000x7000 (the request then was a 500); a
// side of 4096 worked for every shape tried, and is far more than any view
// of a frame needs.
inline constexpr int64_t k_max_image_side = 4096;

struct FrameRequest {
  int64_t frame = 0;
  std::optional<CropRect> crop;
  ImageFormat format = ImageFormat::jpeg;
  int quality = 90;  // JPEG, 1..100
  // Output size; with one of them the other follows the aspect ratio, with
  // both the image fits inside the box. Never distorted.
  std::optional<int64_t> width;
  std::optional<int64_t> height;
};

// Errors: `invalid_argument` — "frame_out_of_range" (with the valid range),
// "crop_out_of_bounds" (naming the bound), "bad_size" (width or height
// beyond 1..k_max_image_side, or one that makes the other side, following
// the aspect ratio, longer than that), "bad_quality".
Status validate_frame_request(const FrameRequest& request, const MediaInfo& info);

// A range of frames, inclusive at both ends.
struct FrameRange {
  int64_t first = 0;
  int64_t last = 0;
  int64_t count() const { return last - first + 1; }
};

// A range as the caller gave it: by frames (exact) or by seconds from the
// file's start (converted through the frame index, or with `fps` when given).
struct RangeSpec {
  std::optional<int64_t> start_frame;
  std::optional<int64_t> end_frame;
  std::optional<double> start_time;
  std::optional<double> end_time;
  std::optional<double> fps;
  bool any() const { return start_frame || end_frame || start_time || end_time; }
};

// Resolves a RangeSpec to frames. Errors (`invalid_argument`): missing or
// mixed parameters ("range_required", "mixed_range"), half a pair, reversed
// ("range_reversed"), outside the video ("range_out_of_bounds"), empty.
Result<FrameRange> resolve_range(const RangeSpec& spec, const MediaFile& file);

std::string image_content_type(ImageFormat format);

}  // namespace frameserve::media
