#include "media/requests.hpp"

#include <cmath>

#include "common/text.hpp"

namespace frameserve::media {

namespace {
Error bad(const std::string& code, const std::string& message) { return invalid_argument(code, message); }

std::string valid_frames(const MediaInfo& info) {
  return "valid frames are 0 to " + std::to_string(info.frame_count - 1);
}
}  // namespace

Status validate_frame_request(const FrameRequest& r, const MediaInfo& info) {
  if (r.frame < 0 || r.frame >= info.frame_count) {
    return bad("frame_out_of_range",
               "frame " + std::to_string(r.frame) + " is outside the video: " + valid_frames(info));
  }
  if (r.crop) {
    const CropRect& c = *r.crop;
    if (c.width < 1 || c.height < 1) return bad("crop_out_of_bounds", "crop w and h must be at least 1");
    if (c.x < 0 || c.y < 0) return bad("crop_out_of_bounds", "crop x and y must be >= 0");
    if (c.x + c.width > info.width) {
      return bad("crop_out_of_bounds", "crop x + w = " + std::to_string(c.x + c.width) + " exceeds the picture width " +
                                           std::to_string(info.width));
    }
    if (c.y + c.height > info.height) {
      return bad("crop_out_of_bounds", "crop y + h = " + std::to_string(c.y + c.height) +
                                           " exceeds the picture height " + std::to_string(info.height));
    }
  }
  const std::string max_side = std::to_string(k_max_image_side);
  for (const auto& [name, value] : {std::pair{"width", r.width}, std::pair{"height", r.height}}) {
    if (value && (*value < 1 || *value > k_max_image_side)) {
      return bad("bad_size", std::string(name) + " must be between 1 and " + max_side + " pixels");
    }
  }
  // With one of them the other side follows the picture's (or the crop's)
  // shape, and may come out far longer: a 1x2 crop at width 4096 is 8192 high.
  if (r.width.has_value() != r.height.has_value()) {
    int64_t source_w = r.crop ? r.crop->width : info.width;
    int64_t source_h = r.crop ? r.crop->height : info.height;
    if (source_w > 0 && source_h > 0) {
      int64_t other =
          r.width ? (*r.width * source_h + source_w - 1) / source_w : (*r.height * source_w + source_h - 1) / source_h;
      if (other > k_max_image_side) {
        std::string given = r.width ? "width " + std::to_string(*r.width) : "height " + std::to_string(*r.height);
        std::string follows = r.width ? "height" : "width";
        return bad("bad_size", given + " of a " + std::to_string(source_w) + "x" + std::to_string(source_h) +
                                   " picture makes its " + follows + " " + std::to_string(other) +
                                   " pixels; images may be at most " + max_side +
                                   " pixels on a side (give both width and height to fit inside a box)");
      }
    }
  }
  if (r.quality < 1 || r.quality > 100) return bad("bad_quality", "quality must be between 1 and 100");
  return Status();
}

Result<FrameRange> resolve_range(const RangeSpec& s, const MediaFile& file) {
  const MediaInfo& info = file.info;
  bool frames = s.start_frame || s.end_frame;
  bool times = s.start_time || s.end_time;
  if (frames && times) {
    return bad("mixed_range", "give start_frame and end_frame, or start_time and end_time, not both kinds");
  }
  if (!frames && !times) {
    return bad("range_required", "give start_frame and end_frame (exact), or start_time and end_time (seconds)");
  }
  FrameRange range;
  if (frames) {
    if (!s.start_frame) return bad("range_required", "end_frame requires start_frame");
    if (!s.end_frame) return bad("range_required", "start_frame requires end_frame");
    range = FrameRange{*s.start_frame, *s.end_frame};
  } else {
    if (!s.start_time) return bad("range_required", "end_time requires start_time");
    if (!s.end_time) return bad("range_required", "start_time requires end_time");
    if (*s.start_time < 0 || *s.end_time < 0) return bad("range_out_of_bounds", "times must be >= 0");
    if (*s.end_time <= *s.start_time) {
      return bad("range_reversed", "end_time must be after start_time");
    }
    if (*s.start_time >= info.duration_secs) {
      return bad("range_out_of_bounds", "start_time " + format_fixed(*s.start_time, 3) +
                                            " is past the end of the video (" + format_fixed(info.duration_secs, 3) +
                                            " s)");
    }
    if (s.fps) {
      // The caller's frame rate decides (approximate, as the spec says).
      range.first = std::llround(*s.start_time * *s.fps);
      range.last = std::llround(*s.end_time * *s.fps) - 1;
    } else {
      // Real timestamps: the first frame shown at or after start_time, up to
      // the last frame shown before end_time.
      const FrameIndex& index = *file.index;
      auto ticks = [&](double seconds) {
        double absolute = seconds + static_cast<double>(info.start_time_us) / 1e6;
        return static_cast<int64_t>(std::ceil(
            absolute * static_cast<double>(index.time_base().den) / static_cast<double>(index.time_base().num) - 1e-6));
      };
      range.first = index.first_frame_at_or_after(ticks(*s.start_time));
      range.last = index.first_frame_at_or_after(ticks(*s.end_time)) - 1;
    }
    range.last = std::min(range.last, info.frame_count - 1);
    if (range.last < range.first) {
      return bad("range_empty", "no frame starts between start_time and end_time");
    }
  }
  if (range.first < 0 || range.last < 0) return bad("range_out_of_bounds", "frames must be >= 0");
  if (range.last < range.first) {
    return bad("range_reversed", "end_frame " + std::to_string(range.last) + " is before start_frame " +
                                     std::to_string(range.first) + " (end_frame is inclusive)");
  }
  if (range.last >= info.frame_count || range.first >= info.frame_count) {
    return bad("range_out_of_bounds", "the range " + std::to_string(range.first) + "-" + std::to_string(range.last) +
                                          " is outside the video: " + valid_frames(info));
  }
  return range;
}

std::string image_content_type(ImageFormat format) { return format == ImageFormat::png ? "image/png" : "image/jpeg"; }

}  // namespace frameserve::media
