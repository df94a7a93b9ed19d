// Storyboard planning: which frame each tile of a storyboard shows and where
// it sits on which JPEG sheet — a pure function of the FrameIndex and the
// request, so the JSON, the WebVTT and every sheet of one storyboard agree
// without rendering anything.
//
// A storyboard has one tile per interval time t = 0, interval, 2·interval, …
// before the end of the file. Exact mode shows the frame on screen at t;
// keyframe mode the keyframe nearest to t (decoding only keyframes is what
// makes it fast). Consecutive tiles that show the same frame share one cell
// of a sheet, so a sheet never holds a frame twice. Cells fill sheets of at
// most k_storyboard_columns x k_storyboard_rows, row by row.
//
// Pure, thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.hpp"
#include "media/media_info.hpp"

namespace frameserve::media {

constexpr int k_storyboard_columns = 10;
constexpr int k_storyboard_rows = 10;
constexpr int64_t k_storyboard_max_tiles = 10000;

// Valid ranges, checked by plan_storyboard (and named by the HTTP layer).
constexpr double k_storyboard_min_interval = 0.1;
constexpr double k_storyboard_max_interval = 3600;
constexpr int64_t k_storyboard_min_width = 16;
constexpr int64_t k_storyboard_max_width = 1280;

struct StoryboardRequest {
  double interval_secs = 10;
  int64_t tile_width = 160;
  bool exact = false;
};

// One distinct frame on a sheet.
struct StoryboardCell {
  int64_t frame = 0;
  int sheet = 0;
  int x = 0;  // pixels, top left corner on the sheet
  int y = 0;
};

// One interval of the timeline, shown by cell `cell`.
struct StoryboardTile {
  int64_t start_us = 0;  // from the file's start time
  int64_t end_us = 0;
  size_t cell = 0;
};

struct StoryboardSheet {
  size_t first_cell = 0;  // cells [first_cell, first_cell + cell_count)
  size_t cell_count = 0;
  int columns = 0;
  int rows = 0;
};

struct StoryboardPlan {
  StoryboardRequest request;
  int tile_width = 0;
  int tile_height = 0;
  std::vector<StoryboardTile> tiles;
  std::vector<StoryboardCell> cells;
  std::vector<StoryboardSheet> sheets;
  int64_t duration_us = 0;  // of the file: from its first frame to the end of its last
};

// Plans the storyboard of `file`. Errors: `invalid_argument` ("bad_interval",
// "bad_width" naming the valid ranges; "too_many_tiles" when the interval
// would give more than k_storyboard_max_tiles tiles, naming the smallest
// interval that fits this file).
Result<StoryboardPlan> plan_storyboard(const MediaFile& file, const StoryboardRequest& request);

}  // namespace frameserve::media
