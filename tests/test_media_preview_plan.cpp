// The trace preview plan (media/preview_plan) and its ffmpeg command,
// without ffmpeg: a window of at most 3 s centred on the representative
// face and moved inside the trace's span, a short trace whole, boxes scaled
// to the preview and drawn on their own frame only, strict limits.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "media/preview_plan.hpp"

using namespace frameserve;
using namespace frameserve::media;

namespace {
// `frames` frames at 25 fps (time base 1/12800), 1280x720, a keyframe every 50.
MediaFile synthetic_file(int64_t frames) {
  std::vector<PacketInfo> packets;
  for (int64_t n = 0; n < frames; ++n) packets.push_back(PacketInfo{n * 512, n * 512, true, n % 50 == 0});
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

std::string graph_of(const process::Command& command) {
  auto it = std::find(command.args.begin(), command.args.end(), "-vf");
  return it == command.args.end() || it + 1 == command.args.end() ? "" : *(it + 1);
}
}  // namespace

TEST_CASE("preview plan: 3 s centred on the representative face, 320 wide, 30 pictures at 10 fps") {
  MediaFile file = synthetic_file(1500);
  auto plan = plan_preview(file, PreviewRequest{}, PreviewTrace{100, 1000, 500, {}});
  REQUIRE(plan);
  CHECK(plan->width == 320);
  CHECK(plan->height == 180);
  // Frame 500 shows [20 s, 20.04 s): its middle is 20.02 s; the window
  // [18.52 s, 21.52 s) holds frames 463..537.
  CHECK(plan->range.first == 463);
  CHECK(plan->range.last == 537);
  CHECK(plan->range.count() == 75);
  CHECK(plan->frame_count == 30);
  CHECK(plan->boxes.size() == 75u);
  // Picture i is the frame on screen i x 100 ms in: 0, 2, 5, 7, 10, ...
  REQUIRE(plan->pictures.size() == 30u);
  CHECK(plan->pictures[0] == 0);
  CHECK(plan->pictures[1] == 2);
  CHECK(plan->pictures[2] == 5);
  CHECK(plan->pictures[3] == 7);
  CHECK(plan->pictures[29] == 72);
  CHECK(plan->uniform);
}

TEST_CASE("preview plan: a rate above the file's shows each frame once, at the film's times") {
  MediaFile file = synthetic_file(1500);
  auto plan = plan_preview(file, PreviewRequest{PreviewFormat::webp, 320, 30}, PreviewTrace{100, 1000, 500, {}});
  REQUIRE(plan);
  CHECK_FALSE(plan->uniform);
  CHECK(plan->frame_count == 75);  // every frame of the 3 s, none twice
  CHECK(plan->pictures.back() == 74);
  std::string graph = graph_of(build_preview_command(file, plan.value()));
  CHECK(graph.find("setpts=N/") == std::string::npos);
}

TEST_CASE("preview plan: moved, never shortened, to stay within the trace; a short trace whole") {
  MediaFile file = synthetic_file(1500);
  auto early = plan_preview(file, PreviewRequest{}, PreviewTrace{100, 1000, 101, {}});
  REQUIRE(early);
  CHECK(early->range.first == 100);
  CHECK(early->range.last == 174);
  auto late = plan_preview(file, PreviewRequest{}, PreviewTrace{100, 1000, 999, {}});
  REQUIRE(late);
  CHECK(late->range.last == 1000);
  CHECK(late->range.first == 926);
  auto whole = plan_preview(file, PreviewRequest{}, PreviewTrace{10, 40, 20, {}});
  REQUIRE(whole);
  CHECK(whole->range.first == 10);
  CHECK(whole->range.last == 40);
  CHECK(whole->frame_count == 12);  // 31 frames of 40 ms at 10 fps
  auto single = plan_preview(file, PreviewRequest{}, PreviewTrace{7, 7, 7, {}});
  REQUIRE(single);
  CHECK(single->range.count() == 1);
  CHECK(single->frame_count == 1);
}

TEST_CASE("preview plan: boxes in the preview's pixels, each drawn on its own frame only") {
  MediaFile file = synthetic_file(1500);
  PreviewTrace trace{100, 1000, 500, {}};
  trace.boxes[470] = CropRect{640, 360, 200, 100};
  trace.boxes[471] = CropRect{1200, 700, 200, 100};  // past the picture's edge: clipped
  trace.boxes[473] = CropRect{1200, 700, 200, 100};
  auto plan = plan_preview(file, PreviewRequest{PreviewFormat::gif, 320, 10}, trace);
  REQUIRE(plan);
  REQUIRE(plan->boxes[470 - 463]);
  CHECK(plan->boxes[470 - 463]->x == 160);
  CHECK(plan->boxes[470 - 463]->y == 90);
  CHECK(plan->boxes[470 - 463]->width == 50);
  CHECK(plan->boxes[470 - 463]->height == 25);
  REQUIRE(plan->boxes[471 - 463]);
  CHECK(plan->boxes[471 - 463]->x + plan->boxes[471 - 463]->width <= 320);
  CHECK(plan->boxes[471 - 463]->y + plan->boxes[471 - 463]->height <= 180);
  CHECK_FALSE(plan->boxes[0]);
  std::string graph = graph_of(build_preview_command(file, plan.value()));
  CHECK(graph.find("drawbox=x=160:y=90:w=50:h=25:color=0xFFD400:t=2:enable=eq(n\\,7)") != std::string::npos);
  CHECK(graph.find("enable=eq(n\\,10)") != std::string::npos);
  // Frame 471 (offset 8) is no picture of the preview: its box is not drawn.
  CHECK(graph.find("enable=eq(n\\,8)") == std::string::npos);
  CHECK(graph.find("enable=eq(n\\,0)") == std::string::npos);
  CHECK(graph.find("trim=end_frame=75") != std::string::npos);
  CHECK(graph.find("select=eq(n\\,0)+eq(n\\,2)+eq(n\\,5)+eq(n\\,7)+") != std::string::npos);
  CHECK(graph.find("setpts=N/(10*TB)") != std::string::npos);
  CHECK(graph.find("palettegen") != std::string::npos);
  auto webp = build_preview_command(file, plan_preview(file, PreviewRequest{}, trace).value());
  CHECK(std::find(webp.args.begin(), webp.args.end(), "libwebp_anim") != webp.args.end());
}

TEST_CASE("preview plan: width and fps outside their ranges are refused, naming the range") {
  MediaFile file = synthetic_file(100);
  for (int64_t width : {int64_t{15}, int64_t{1281}}) {
    auto plan = plan_preview(file, PreviewRequest{PreviewFormat::webp, width, 10}, PreviewTrace{0, 50, 10, {}});
    REQUIRE_FALSE(plan);
    CHECK(plan.error().code == "bad_width");
    CHECK(plan.error().message.find("16 to 1280") != std::string::npos);
  }
  for (int64_t fps : {int64_t{0}, int64_t{31}}) {
    auto plan = plan_preview(file, PreviewRequest{PreviewFormat::webp, 320, fps}, PreviewTrace{0, 50, 10, {}});
    REQUIRE_FALSE(plan);
    CHECK(plan.error().code == "bad_fps");
  }
  auto outside = plan_preview(file, PreviewRequest{}, PreviewTrace{50, 150, 60, {}});
  REQUIRE_FALSE(outside);
  CHECK(outside.error().code == "bad_trace");
}
