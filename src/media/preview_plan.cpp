#include "media/preview_plan.hpp"

#include <algorithm>
#include <cmath>

#include "media/ffmpeg_pieces.hpp"
#include "media/frame_seeker.hpp"

namespace frameserve::media {

namespace {
// The face box's colour and line width: visible on faces of any skin tone
// and on dark and bright backgrounds alike, and still a line at 160 px wide.
constexpr const char* k_box_colour = "0xFFD400";

int box_thickness(int width) { return std::max(2, width / 160); }

// The last frame of [first, last] whose presentation time is at or before
// `us` (`first` when none is). Pts increase strictly, so this is a search.
int64_t frame_at_us(const FrameIndex& index, int64_t first, int64_t last, int64_t us) {
  int64_t lo = first;
  int64_t hi = last;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo + 1) / 2;
    if (index.pts_us(mid) <= us)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

// A box of the file's pixels in the preview's pixels, inside the picture.
std::optional<CropRect> scaled_box(const CropRect& box, const MediaInfo& info, int width, int height) {
  double sx = static_cast<double>(width) / std::max(1, info.width);
  double sy = static_cast<double>(height) / std::max(1, info.height);
  int64_t x0 = std::clamp<int64_t>(std::llround(static_cast<double>(box.x) * sx), 0, width - 1);
  int64_t y0 = std::clamp<int64_t>(std::llround(static_cast<double>(box.y) * sy), 0, height - 1);
  int64_t x1 = std::clamp<int64_t>(std::llround(static_cast<double>(box.x + box.width) * sx), x0 + 1, width);
  int64_t y1 = std::clamp<int64_t>(std::llround(static_cast<double>(box.y + box.height) * sy), y0 + 1, height);
  return CropRect{x0, y0, x1 - x0, y1 - y0};
}

// `drawbox=...:enable=eq(n\,I)`: the box on the I-th frame of the range only.
std::string drawbox_on_frame(const CropRect& box, int thickness, size_t frame) {
  return "drawbox=x=" + std::to_string(box.x) + ":y=" + std::to_string(box.y) + ":w=" + std::to_string(box.width) +
         ":h=" + std::to_string(box.height) + ":color=" + k_box_colour + ":t=" + std::to_string(thickness) +
         ":enable=eq(n\\," + std::to_string(frame) + ")";
}
}  // namespace

Result<PreviewPlan> plan_preview(const MediaFile& file, const PreviewRequest& request, const PreviewTrace& trace) {
  if (request.width < k_preview_min_width || request.width > k_preview_max_width) {
    return invalid_argument("bad_width", "width must be a whole number of pixels from " +
                                             std::to_string(k_preview_min_width) + " to " +
                                             std::to_string(k_preview_max_width));
  }
  if (request.fps < k_preview_min_fps || request.fps > k_preview_max_fps) {
    return invalid_argument("bad_fps", "fps must be a whole number of frames per second from " +
                                           std::to_string(k_preview_min_fps) + " to " +
                                           std::to_string(k_preview_max_fps));
  }
  const FrameIndex& index = *file.index;
  const int64_t count = index.frame_count();
  if (trace.first_frame < 0 || trace.last_frame >= count || trace.first_frame > trace.last_frame) {
    return invalid_argument("bad_trace", "the trace's frames " + std::to_string(trace.first_frame) + ".." +
                                             std::to_string(trace.last_frame) + " are not frames of this file (0.." +
                                             std::to_string(count - 1) + ")");
  }
  PreviewPlan plan;
  plan.request = request;
  plan.width = static_cast<int>(request.width);
  // Square pixels: the height keeps the picture's aspect ratio.
  plan.height =
      std::max(1, static_cast<int>(std::lround(static_cast<double>(request.width) * std::max(1, file.info.height) /
                                               std::max(1, file.info.width))));

  // The window: centred on the middle of the representative face's frame,
  // moved to stay within the trace's span.
  const int64_t span_start = index.pts_us(trace.first_frame);
  const int64_t span_end = ticks_to_us_floor(index.end_pts(trace.last_frame), index.time_base());
  const int64_t window = std::min(k_preview_max_us, std::max<int64_t>(1, span_end - span_start));
  const int64_t centre_frame = std::clamp(trace.centre_frame, trace.first_frame, trace.last_frame);
  const int64_t centre =
      (index.pts_us(centre_frame) + ticks_to_us_floor(index.end_pts(centre_frame), index.time_base())) / 2;
  const int64_t start = std::clamp(centre - window / 2, span_start, std::max(span_start, span_end - window));
  plan.range.first = frame_at_us(index, trace.first_frame, trace.last_frame, start);
  plan.range.last =
      std::max(plan.range.first, frame_at_us(index, trace.first_frame, trace.last_frame, start + window - 1));
  plan.duration_us =
      ticks_to_us_floor(index.end_pts(plan.range.last), index.time_base()) - index.pts_us(plan.range.first);
  const int64_t slots = std::max<int64_t>(
      1, std::llround(static_cast<double>(plan.duration_us) * static_cast<double>(request.fps) / 1e6));
  const int64_t window_start = index.pts_us(plan.range.first);
  for (int64_t i = 0; i < slots; ++i) {
    int64_t at = window_start + i * 1000000 / request.fps;
    int64_t offset = frame_at_us(index, plan.range.first, plan.range.last, at) - plan.range.first;
    if (!plan.pictures.empty() && plan.pictures.back() == offset) {
      plan.uniform = false;
      continue;
    }
    plan.pictures.push_back(offset);
  }
  plan.frame_count = static_cast<int64_t>(plan.pictures.size());
  for (int64_t frame = plan.range.first; frame <= plan.range.last; ++frame) {
    auto box = trace.boxes.find(frame);
    plan.boxes.push_back(box == trace.boxes.end() ? std::nullopt
                                                  : scaled_box(box->second, file.info, plan.width, plan.height));
  }
  return plan;
}

process::Command build_preview_command(const MediaFile& file, const PreviewPlan& plan) {
  const FrameIndex& index = *file.index;
  ArgList args = quiet_prefix();
  append_seek_input(args, file, plan_seek(file, plan.range.first));
  // Exactly the range's frames (trim bounds decode_order selects, which
  // pass every frame from the first on), retimed to start at 0.
  std::string filters =
      exact_range_select(index, plan.range) + ",trim=end_frame=" + std::to_string(plan.range.count()) + "," +
      rebase_pts_filter(index, plan.range, file.info.fps) + "," + scale_filter(plan.width, plan.height) + ",setsar=1";
  // Boxes on the pictures' frames (counted from the range's first), then
  // the pictures picked by their place in the range.
  const int thickness = box_thickness(plan.width);
  std::string pick;
  for (int64_t offset : plan.pictures) {
    const auto& box = plan.boxes[static_cast<size_t>(offset)];
    if (box) filters += "," + drawbox_on_frame(*box, thickness, static_cast<size_t>(offset));
    pick += (pick.empty() ? "" : "+") + std::string("eq(n\\,") + std::to_string(offset) + ")";
  }
  filters += ",select=" + pick;
  if (plan.uniform) filters += ",setpts=N/(" + std::to_string(plan.request.fps) + "*TB)";
  if (plan.request.format == PreviewFormat::gif) {
    // One palette made from every picture (GIF has 256 colours), dithered.
    filters +=
        ",split[frames][forpalette];[forpalette]palettegen=stats_mode=diff[palette];"
        "[frames][palette]paletteuse=dither=bayer:bayer_scale=3";
  }
  append_args(args, {"-map", "0:V:0", "-an", "-sn", "-dn", "-vf", filters, "-frames:v",
                     std::to_string(plan.frame_count), "-fps_mode", "passthrough", "-loop", "0"});
  if (plan.request.format == PreviewFormat::gif) {
    append_args(args, {"-f", "gif", "pipe:1"});
  } else {
    append_args(args, {"-c:v", "libwebp_anim", "-quality", "75", "-f", "webp", "pipe:1"});
  }
  return {process::Tool::ffmpeg, std::move(args)};
}

const char* preview_content_type(PreviewFormat format) {
  return format == PreviewFormat::gif ? "image/gif" : "image/webp";
}

const char* preview_extension(PreviewFormat format) { return format == PreviewFormat::gif ? "gif" : "webp"; }

}  // namespace frameserve::media
