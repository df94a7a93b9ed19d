// The storyboard plan (media/storyboard_plan) and its ffmpeg command, without
// ffmpeg: tiles per interval, the keyframe nearest to each, exact frames,
// cells shared by equal frames, sheets of at most 10 x 10, strict limits,
// and the sheet commands of both modes.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "media/ffmpeg_argv.hpp"
#include "media/storyboard_plan.hpp"

using namespace frameserve;
using namespace frameserve::media;

namespace {
// `frames` frames at 25 fps (time base 1/12800), a keyframe every `gop`.
MediaFile synthetic_file(int64_t frames, int64_t gop) {
  std::vector<PacketInfo> packets;
  for (int64_t n = 0; n < frames; ++n) packets.push_back(PacketInfo{n * 512, n * 512, true, n % gop == 0});
  MediaFile file;
  file.file_uuid = "aeed71342a899fe4b4c57b7d41bcb692";
  file.path = "/videos/a.mp4";
  file.info.width = 1280;
  file.info.height = 720;
  file.info.fps = Rational{25, 1};
  file.info.frame_count = frames;
  file.index = std::make_shared<const FrameIndex>(FrameIndex::from_packets(packets, Rational{1, 12800}).value());
  return file;
}

bool has(const std::vector<std::string>& args, const std::string& value) {
  return std::find(args.begin(), args.end(), value) != args.end();
}
}  // namespace

TEST_CASE("storyboard plan: keyframe mode shows the keyframe nearest to each interval time") {
  MediaFile file = synthetic_file(1500, 50);  // 60 s, a keyframe every 2 s
  auto plan = plan_storyboard(file, StoryboardRequest{3, 160, false});
  REQUIRE(plan);
  CHECK(plan->tile_height == 90);
  REQUIRE(plan->tiles.size() == 20);
  // 0 s -> 0; 3 s -> 2 s (tie with 4 s: the earlier); 6 s -> 6 s; 9 s -> 8 s.
  std::vector<int64_t> shown;
  for (const auto& t : plan->tiles) shown.push_back(plan->cells[t.cell].frame);
  CHECK(shown[0] == 0);
  CHECK(shown[1] == 50);
  CHECK(shown[2] == 150);
  CHECK(shown[3] == 200);
  CHECK(shown[19] == 1400);  // 57 s -> 56 s
  CHECK(plan->tiles.back().end_us == 60000000);
  REQUIRE(plan->sheets.size() == 1);
  CHECK(plan->sheets[0].columns == 10);
  CHECK(plan->sheets[0].rows == 2);
}

TEST_CASE("storyboard plan: exact mode, shared cells for equal frames, sheets of at most 10 x 10") {
  MediaFile file = synthetic_file(1500, 50);
  auto plan = plan_storyboard(file, StoryboardRequest{0.5, 32, true});
  REQUIRE(plan);
  REQUIRE(plan->tiles.size() == 120);
  CHECK(plan->cells[plan->tiles[3].cell].frame == 37);  // 1.5 s: frame 37.5 is not one; 37 is on screen
  REQUIRE(plan->cells.size() == 120);
  REQUIRE(plan->sheets.size() == 2);
  CHECK(plan->sheets[1].cell_count == 20);
  CHECK(plan->sheets[1].rows == 2);
  CHECK(plan->cells[119].sheet == 1);
  CHECK(plan->cells[119].x == 9 * 32);
  CHECK(plan->cells[119].y == 1 * 18);

  // Keyframe mode at a short interval: many tiles, few distinct keyframes.
  auto keys = plan_storyboard(file, StoryboardRequest{0.5, 32, false});
  REQUIRE(keys);
  CHECK(keys->tiles.size() == 120);
  CHECK(keys->cells.size() == 30);
  CHECK(keys->tiles[1].cell == keys->tiles[0].cell);
}

TEST_CASE("storyboard plan: limits name the parameter and the valid range") {
  MediaFile file = synthetic_file(1500, 50);
  for (double interval : {0.0, 0.05, 3601.0}) {
    auto plan = plan_storyboard(file, StoryboardRequest{interval, 160, false});
    REQUIRE_FALSE(plan);
    CHECK(plan.error().message.find("interval must be a number of seconds from 0.1 to 3600") != std::string::npos);
  }
  auto narrow = plan_storyboard(file, StoryboardRequest{10, 8, false});
  REQUIRE_FALSE(narrow);
  CHECK(narrow.error().message.find("from 16 to 1280") != std::string::npos);
  MediaFile film = synthetic_file(180000, 250);  // 2 hours
  auto many = plan_storyboard(film, StoryboardRequest{0.5, 160, false});
  REQUIRE_FALSE(many);
  CHECK(many.error().code == "too_many_tiles");
  CHECK(many.error().message.find("at least 0.8 seconds") != std::string::npos);
}

TEST_CASE("storyboard sheet command: keyframes only in one input; exact: seeking inputs concatenated") {
  MediaFile file = synthetic_file(1500, 50);
  auto keys = plan_storyboard(file, StoryboardRequest{10, 160, false});
  REQUIRE(keys);
  auto k = build_storyboard_sheet_command(file, keys.value(), 0).args;
  CHECK(has(k, "-skip_frame"));
  CHECK(has(k,
            "select=eq(pts\\,0)+eq(pts\\,128000)+eq(pts\\,256000)+eq(pts\\,384000)+eq(pts\\,512000)+"
            "eq(pts\\,640000),scale=160:90,setsar=1,tile=6x1"));
  CHECK(std::count(k.begin(), k.end(), "-i") == 1);

  // Tiles 10 s apart, keyframes 2 s apart: one seeking input per tile.
  auto exact = plan_storyboard(file, StoryboardRequest{10, 160, true});
  REQUIRE(exact);
  auto e = build_storyboard_sheet_command(file, exact.value(), 0).args;
  CHECK_FALSE(has(e, "-skip_frame"));
  CHECK(std::count(e.begin(), e.end(), "-i") == 6);
  CHECK(has(e, "-filter_complex"));
  // Tiles 0.5 s apart: decoding on is cheaper than seeking, one input.
  auto dense = plan_storyboard(file, StoryboardRequest{0.5, 32, true});
  REQUIRE(dense);
  auto d = build_storyboard_sheet_command(file, dense.value(), 0).args;
  CHECK(std::count(d.begin(), d.end(), "-i") == 1);

  // An open GOP: keyframes-only decoding loses keyframes there; seek instead.
  MediaFile open = synthetic_file(1500, 50);
  std::vector<PacketInfo> packets;
  for (int64_t n = 0; n < 300; ++n) {
    if (n == 148 || n == 149) continue;
    packets.push_back(PacketInfo{n * 512, n * 512, true, n % 50 == 0});
    if (n == 150) {
      packets.push_back(PacketInfo{148 * 512, 151 * 512, true, false});
      packets.push_back(PacketInfo{149 * 512, 152 * 512, true, false});
    }
  }
  open.index = std::make_shared<const FrameIndex>(FrameIndex::from_packets(packets, Rational{1, 12800}).value());
  auto open_keys = plan_storyboard(open, StoryboardRequest{2, 160, false});
  REQUIRE(open_keys);
  auto o = build_storyboard_sheet_command(open, open_keys.value(), 0).args;
  CHECK_FALSE(has(o, "-skip_frame"));
  CHECK(has(o, "-filter_complex"));
}
