// Trace previews: which frames of a file the moving preview of a trace shows
// and where its face box is drawn on each — a pure function of the
// FrameIndex, the trace's span, its detections and the request, so the HTTP
// endpoint and the CLI render the same preview.
//
// The window is at most k_preview_max_us long, centred on the trace's
// representative face (its sharpest face) and moved, never shortened, to
// stay within the trace's span; a trace shorter than that is shown whole.
// Every frame of the window is decoded exactly (frames are picked by their
// pts, as clips are); picture i of the preview is the film frame on screen
// at i / fps after the window's start (chosen here, not by ffmpeg's fps
// filter, which keeps the last of the frames that round to a slot), scaled
// to the preview's width and boxed where the trace has a detection on that
// frame. A file slower than the asked rate shows each of its frames once,
// for as long as the film does.
//
// Pure, thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "common/result.hpp"
#include "media/media_info.hpp"
#include "media/requests.hpp"
#include "process/command.hpp"

namespace frameserve::media {

enum class PreviewFormat { webp, gif };

// Valid ranges, checked by plan_preview (and named by the HTTP layer).
constexpr int64_t k_preview_max_us = 3'000'000;
constexpr int64_t k_preview_min_width = 16;
constexpr int64_t k_preview_max_width = 1280;
constexpr int64_t k_preview_default_width = 320;
constexpr int64_t k_preview_min_fps = 1;
constexpr int64_t k_preview_max_fps = 30;
constexpr int64_t k_preview_default_fps = 10;

struct PreviewRequest {
  PreviewFormat format = PreviewFormat::webp;
  int64_t width = k_preview_default_width;
  int64_t fps = k_preview_default_fps;
};

// The trace as the preview needs it: its first and last frame, the frame of
// its representative face, and its boxes by frame (in the file's displayed
// pixels; frames without a detection have none).
struct PreviewTrace {
  int64_t first_frame = 0;
  int64_t last_frame = 0;
  int64_t centre_frame = 0;
  std::map<int64_t, CropRect> boxes;
};

struct PreviewPlan {
  PreviewRequest request;
  int width = 0;  // of the preview's pictures
  int height = 0;
  FrameRange range;  // the file's frames the preview is made of
  // One entry per frame of `range`: its box in the preview's pixels, if any.
  std::vector<std::optional<CropRect>> boxes;
  // The preview's pictures, as offsets into `range` (ascending, distinct).
  std::vector<int64_t> pictures;
  // True when every picture slot got a frame of its own, so the pictures
  // are retimed to exactly 1 / fps each; else they keep the film's times.
  bool uniform = true;
  int64_t duration_us = 0;  // from range.first to the end of range.last
  int64_t frame_count = 0;  // pictures.size(): about duration x fps, at least 1
};

// Errors: `invalid_argument` ("bad_width", "bad_fps" naming the valid
// ranges; "bad_trace" when the trace's frames are outside the file).
Result<PreviewPlan> plan_preview(const MediaFile& file, const PreviewRequest& request, const PreviewTrace& trace);

// The ffmpeg run that renders `plan` as an animated WebP (libwebp_anim) or
// GIF (palettegen/paletteuse, one palette for the whole preview) on stdout.
// Every value in its filter graph is a number computed here. Never fails.
process::Command build_preview_command(const MediaFile& file, const PreviewPlan& plan);

const char* preview_content_type(PreviewFormat format);
const char* preview_extension(PreviewFormat format);

}  // namespace frameserve::media
