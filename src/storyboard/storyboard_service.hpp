// Storyboards: the grid of small frames over a whole file that timelines
// show on hover, in three representations of one plan (media/storyboard_plan)
// — JSON, WebVTT thumbnails (cue text `SHEET_URL#xywh=x,y,w,h`, read by
// video.js, Plyr, Vidstack and JW Player) and the JPEG sheets themselves.
//
// GET .../storyboard[.json|.vtt], GET .../storyboard/N.jpg and `frameserve
// storyboard` all call these functions. A sheet is rendered by one ffmpeg
// job (process::JobRunner, a short job) and kept in the disk cache of
// rendered segments (hls::SegmentCache: its size bound, its one-render rule
// for concurrent requests). Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "common/result.hpp"
#include "hls/segment_cache.hpp"
#include "media/media_info.hpp"
#include "media/storyboard_plan.hpp"
#include "process/job_runner.hpp"

namespace frameserve::storyboard {

// The URL of sheet N as the JSON and the WebVTT write it.
using SheetUrl = std::function<std::string(size_t sheet)>;

// The cache key (a file name) of one sheet: the file's identity as the HLS
// segments' keys name it (file_uuid, mtime, size) and everything that changes
// the sheet's bytes (interval, tile width, mode, sheet). Never fails.
std::string sheet_cache_key(const media::MediaFile& file, const media::StoryboardPlan& plan, size_t sheet);

struct SheetImage {
  std::string jpeg;
  bool from_cache = false;
};

// Sheet `sheet` (a valid index of plan.sheets) as JPEG: from the cache, or
// rendered once — a request for a sheet another request is rendering waits
// for that render. Errors: `unavailable` (no job slot), `tool_failed`
// (ffmpeg failed, or produced no image).
Result<SheetImage> storyboard_sheet(const process::JobRunner& runner, hls::SegmentCache& cache,
                                    const media::MediaFile& file, const media::StoryboardPlan& plan, size_t sheet);

// {"interval","tile_width","tile_height","exact","vtt_url","sheets":[url…],
//  "tiles":[{"url","x","y","width","height","frame_number","timestamp_secs",
//  "start_secs","end_secs"}]}: every tile names the frame it really shows.
// Never fails.
std::string storyboard_json(const media::MediaFile& file, const media::StoryboardPlan& plan, const SheetUrl& sheet_url,
                            const std::string& vtt_url);

// WebVTT: one cue per tile covering its interval, text `URL#xywh=x,y,w,h`.
// Never fails.
std::string storyboard_vtt(const media::StoryboardPlan& plan, const SheetUrl& sheet_url);

}  // namespace frameserve::storyboard
