#include "media/storyboard_plan.hpp"

#include <algorithm>
#include <cmath>

#include "common/text.hpp"

namespace frameserve::media {

namespace {
// The last frame whose presentation time is at or before `at_us` (absolute
// microseconds), or frame 0 when `at_us` comes before the first frame.
int64_t frame_on_screen(const FrameIndex& index, int64_t at_us) {
  int64_t low = 0;
  int64_t high = index.frame_count();  // first frame after at_us lies in [low, high]
  while (low < high) {
    int64_t mid = low + (high - low) / 2;
    if (index.pts_us(mid) <= at_us)
      low = mid + 1;
    else
      high = mid;
  }
  return std::max<int64_t>(0, low - 1);
}

// The frames keyframe mode may show: keyframes that are themselves shown.
// A keyframe hidden by an edit list names the first shown frame after it,
// which is not a keyframe and which a keyframes-only decode never produces.
std::vector<int64_t> shown_keyframes(const FrameIndex& index) {
  std::vector<int64_t> frames;
  for (const Keyframe& key : index.keyframes()) {
    if (index.pts(key.frame) == key.pts && (frames.empty() || frames.back() != key.frame)) frames.push_back(key.frame);
  }
  return frames;
}

// The shown keyframe nearest to `at_us` (the earlier one on a tie); `keys`
// is non-empty and sorted.
int64_t nearest_keyframe(const FrameIndex& index, const std::vector<int64_t>& keys, int64_t at_us) {
  auto after =
      std::partition_point(keys.begin(), keys.end(), [&](int64_t frame) { return index.pts_us(frame) <= at_us; });
  if (after == keys.begin()) return *after;
  int64_t before = *(after - 1);
  if (after == keys.end()) return before;
  return index.pts_us(*after) - at_us < at_us - index.pts_us(before) ? *after : before;
}
}  // namespace

Result<StoryboardPlan> plan_storyboard(const MediaFile& file, const StoryboardRequest& request) {
  if (!std::isfinite(request.interval_secs) || request.interval_secs < k_storyboard_min_interval ||
      request.interval_secs > k_storyboard_max_interval) {
    return invalid_argument("bad_interval", "interval must be a number of seconds from " +
                                                format_fixed(k_storyboard_min_interval, 1) + " to " +
                                                format_fixed(k_storyboard_max_interval, 0));
  }
  if (request.tile_width < k_storyboard_min_width || request.tile_width > k_storyboard_max_width) {
    return invalid_argument("bad_width", "width must be a whole number of pixels from " +
                                             std::to_string(k_storyboard_min_width) + " to " +
                                             std::to_string(k_storyboard_max_width));
  }
  const FrameIndex& index = *file.index;
  StoryboardPlan plan;
  plan.request = request;
  plan.tile_width = static_cast<int>(request.tile_width);
  // Square pixels: the height keeps the picture's aspect ratio.
  int picture_w = std::max(1, file.info.width);
  int picture_h = std::max(1, file.info.height);
  plan.tile_height =
      std::max(1, static_cast<int>(std::lround(static_cast<double>(request.tile_width) * picture_h / picture_w)));

  const int64_t origin_us = file.info.start_time_us;
  const int64_t last = index.frame_count() - 1;
  int64_t end_us = ticks_to_us_floor(index.end_pts(last), index.time_base()) - origin_us;
  plan.duration_us = std::max<int64_t>(1, end_us);
  const int64_t interval_us = std::max<int64_t>(1, std::llround(request.interval_secs * 1e6));
  int64_t tile_count = (plan.duration_us + interval_us - 1) / interval_us;
  if (tile_count > k_storyboard_max_tiles) {
    double smallest = std::ceil(static_cast<double>(plan.duration_us) / k_storyboard_max_tiles / 1e5) / 10;
    return invalid_argument("too_many_tiles", "a storyboard has at most " + std::to_string(k_storyboard_max_tiles) +
                                                  " tiles: for this file interval must be at least " +
                                                  format_fixed(smallest, 1) + " seconds");
  }

  std::vector<int64_t> keys = request.exact ? std::vector<int64_t>() : shown_keyframes(index);
  if (!request.exact && keys.empty()) keys.push_back(index.keyframes().front().frame);
  for (int64_t i = 0; i < tile_count; ++i) {
    int64_t start_us = i * interval_us;
    int64_t at_us = origin_us + start_us;
    int64_t frame = request.exact ? frame_on_screen(index, at_us) : nearest_keyframe(index, keys, at_us);
    if (plan.cells.empty() || plan.cells.back().frame != frame) plan.cells.push_back(StoryboardCell{frame, 0, 0, 0});
    plan.tiles.push_back(
        StoryboardTile{start_us, std::min(plan.duration_us, start_us + interval_us), plan.cells.size() - 1});
  }

  const size_t per_sheet = static_cast<size_t>(k_storyboard_columns) * k_storyboard_rows;
  const int columns = static_cast<int>(std::min<size_t>(k_storyboard_columns, plan.cells.size()));
  for (size_t first = 0; first < plan.cells.size(); first += per_sheet) {
    StoryboardSheet sheet;
    sheet.first_cell = first;
    sheet.cell_count = std::min(per_sheet, plan.cells.size() - first);
    sheet.columns = columns;
    sheet.rows = static_cast<int>((sheet.cell_count + static_cast<size_t>(columns) - 1) / static_cast<size_t>(columns));
    for (size_t c = 0; c < sheet.cell_count; ++c) {
      StoryboardCell& cell = plan.cells[first + c];
      cell.sheet = static_cast<int>(plan.sheets.size());
      cell.x = static_cast<int>(c % static_cast<size_t>(columns)) * plan.tile_width;
      cell.y = static_cast<int>(c / static_cast<size_t>(columns)) * plan.tile_height;
    }
    plan.sheets.push_back(sheet);
  }
  return plan;
}

}  // namespace frameserve::media
