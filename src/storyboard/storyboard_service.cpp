#include "storyboard/storyboard_service.hpp"

#include <cmath>
#include <cstdio>

#include "common/json_writer.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "media/ffmpeg_argv.hpp"
#include "render_cache/cached_bytes.hpp"

namespace frameserve::storyboard {

namespace {
constexpr size_t k_max_sheet_bytes = 64u << 20;

// WebVTT's hh:mm:ss.ttt.
std::string vtt_time(int64_t us) {
  int64_t ms = us / 1000;
  char text[32];
  std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld.%03lld", static_cast<long long>(ms / 3600000),
                static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60),
                static_cast<long long>(ms % 1000));
  return text;
}
}  // namespace

std::string sheet_cache_key(const media::MediaFile& file, const media::StoryboardPlan& plan, size_t sheet) {
  // sb1: bump when the rendering of a sheet changes.
  const media::StoryboardRequest& r = plan.request;
  return "sb1-" + render_cache::key_safe(file.file_uuid.empty() ? file.path : file.file_uuid) + "-m" +
         std::to_string(file.info.mtime_ns) + "-z" + std::to_string(file.info.size_bytes) + "-i" +
         std::to_string(std::llround(r.interval_secs * 1e6)) + "-w" + std::to_string(r.tile_width) +
         (r.exact ? "-exact" : "-key") + "-s" + std::to_string(sheet) + ".jpg";
}

Result<SheetImage> storyboard_sheet(const process::JobRunner& runner, hls::SegmentCache& cache,
                                    const media::MediaFile& file, const media::StoryboardPlan& plan, size_t sheet) {
  auto image = render_cache::cached_render(
      cache, sheet_cache_key(file, plan, sheet),
      std::chrono::duration_cast<std::chrono::milliseconds>(runner.timeouts().short_deadline),
      "storyboard sheet " + std::to_string(sheet),
      [&] { return runner.run_capture(media::build_storyboard_sheet_command(file, plan, sheet), k_max_sheet_bytes); });
  if (!image) return image.error();
  return SheetImage{std::move(image->bytes), image->from_cache};
}

std::string storyboard_json(const media::MediaFile& file, const media::StoryboardPlan& plan, const SheetUrl& sheet_url,
                            const std::string& vtt_url) {
  JsonWriter json;
  json.begin_object();
  json.field("interval", plan.request.interval_secs);
  json.field("tile_width", plan.tile_width);
  json.field("tile_height", plan.tile_height);
  json.field("exact", plan.request.exact);
  json.field("vtt_url", vtt_url);
  json.key("sheets").begin_array();
  for (size_t i = 0; i < plan.sheets.size(); ++i) json.string(sheet_url(i));
  json.end_array();
  json.key("tiles").begin_array();
  for (const media::StoryboardTile& tile : plan.tiles) {
    const media::StoryboardCell& cell = plan.cells[tile.cell];
    json.begin_object();
    json.field("url", sheet_url(static_cast<size_t>(cell.sheet)));
    json.field("x", cell.x);
    json.field("y", cell.y);
    json.field("width", plan.tile_width);
    json.field("height", plan.tile_height);
    json.field("frame_number", cell.frame);
    json.field("timestamp_secs", file.timestamp_secs(cell.frame));
    json.field("start_secs", static_cast<double>(tile.start_us) / 1e6);
    json.field("end_secs", static_cast<double>(tile.end_us) / 1e6);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.str();
}

std::string storyboard_vtt(const media::StoryboardPlan& plan, const SheetUrl& sheet_url) {
  std::string vtt = "WEBVTT\n";
  for (const media::StoryboardTile& tile : plan.tiles) {
    const media::StoryboardCell& cell = plan.cells[tile.cell];
    vtt += "\n" + vtt_time(tile.start_us) + " --> " + vtt_time(tile.end_us) + "\n" +
           sheet_url(static_cast<size_t>(cell.sheet)) + "#xywh=" + std::to_string(cell.x) + "," +
           std::to_string(cell.y) + "," + std::to_string(plan.tile_width) + "," + std::to_string(plan.tile_height) +
           "\n";
  }
  return vtt;
}

}  // namespace frameserve::storyboard
