// The scene rule of faces/scenes.hpp: join runs across gaps shorter than
// gap_frames, pad, clamp to the film, merge what overlaps or touches; which
// traces belong to which scene; where each scene starts in the scene video.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "faces/frame_runs.hpp"
#include "faces/scenes.hpp"
#include "media/frame_index.hpp"

using namespace frameserve;
using Runs = std::vector<db::FrameRun>;

namespace {
bool same(const Runs& a, const Runs& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first || a[i].last != b[i].last) return false;
  }
  return true;
}

std::string show(const Runs& runs) {
  std::string text;
  for (const auto& r : runs) text += "[" + std::to_string(r.first) + "," + std::to_string(r.last) + "]";
  return text;
}
}  // namespace

TEST_CASE("scene_spans: empty and single-frame input") {
  CHECK(faces::scene_spans({}, 25, 50, 1000).empty());
  CHECK(same(faces::scene_spans({{500, 500}}, 0, 0, 1000), {{500, 500}}));
  CHECK(same(faces::scene_spans({{500, 500}}, 3, 0, 1000), {{497, 503}}));
  // A one-frame film.
  CHECK(same(faces::scene_spans({{0, 0}}, 25, 50, 1), {{0, 0}}));
}

TEST_CASE("scene_spans: a gap of exactly gap_frames splits, one frame less joins") {
  // 10 frames strictly between 20 and 31.
  Runs runs{{10, 20}, {31, 40}};
  CHECK(same(faces::scene_spans(runs, 0, 10, 1000), {{10, 20}, {31, 40}}));
  CHECK(same(faces::scene_spans(runs, 0, 11, 1000), {{10, 40}}));
  // Joining is transitive along the list.
  CHECK(same(faces::scene_spans({{0, 1}, {5, 6}, {10, 11}, {30, 31}}, 0, 4, 1000), {{0, 11}, {30, 31}}));
  // gap_frames = 0 joins nothing, yet runs one frame apart... stay apart;
  // only touching padded scenes merge (step 4).
  CHECK(same(faces::scene_spans({{0, 1}, {3, 4}}, 0, 0, 1000), {{0, 1}, {3, 4}}));
  CHECK(same(faces::scene_spans({{0, 1}, {2, 4}}, 0, 0, 1000), {{0, 4}}));
}

TEST_CASE("scene_spans: padding merges scenes that come to overlap or touch, never ones a frame apart") {
  // Gap of 10 frames (21..30); pads of 5 each side leave frames 26..25: touch.
  CHECK(same(faces::scene_spans({{10, 20}, {31, 40}}, 5, 0, 1000), {{5, 45}}));
  // Gap of 11 frames: padded scenes [5,25] and [27,46] leave frame 26 between.
  CHECK(same(faces::scene_spans({{10, 20}, {32, 41}}, 5, 0, 1000), {{5, 25}, {27, 46}}));
  // Overlapping after padding.
  CHECK(same(faces::scene_spans({{10, 20}, {25, 30}}, 5, 0, 1000), {{5, 35}}));
}

TEST_CASE("scene_spans: padding is clamped at both ends of the film") {
  CHECK(same(faces::scene_spans({{0, 3}, {96, 99}}, 25, 0, 100), {{0, 28}, {71, 99}}));
  CHECK(same(faces::scene_spans({{2, 3}}, 1'000'000, 0, 100), {{0, 99}}));
  // Runs beyond the film are clipped, or dropped when wholly outside it.
  CHECK(same(faces::scene_spans({{90, 120}, {150, 160}}, 0, 0, 100), {{90, 99}}));
}

TEST_CASE("scene_spans: two people never together give no scenes") {
  Runs a{{0, 10}, {50, 60}};
  Runs b{{11, 49}, {61, 100}};
  CHECK(faces::shared_frame_runs(a, b).empty());
  CHECK(faces::scene_spans(faces::shared_frame_runs(a, b), 25, 50, 1000).empty());
  Runs both = faces::shared_frame_runs({{0, 100}}, {{5, 6}, {50, 59}, {100, 200}});
  CHECK_MESSAGE(same(both, {{5, 6}, {50, 59}, {100, 100}}), show(both));
}

TEST_CASE("frames_for_seconds: round(seconds x fps)") {
  CHECK(faces::frames_for_seconds(25, 1, 1) == 25);
  CHECK(faces::frames_for_seconds(30000, 1001, 1) == 30);  // 29.97
  CHECK(faces::frames_for_seconds(30000, 1001, 2) == 60);  // 59.94
  CHECK(faces::frames_for_seconds(24000, 1001, 1) == 24);  // 23.976
  CHECK(faces::frames_for_seconds(5, 2, 1) == 3);          // 2.5 rounds half up
  CHECK(faces::frames_for_seconds(0, 1, 1) == 0);
}

TEST_CASE("attribute_traces: spans decide, except a span that strictly encloses a scene") {
  Runs scenes{{0, 10}, {20, 30}, {40, 50}};
  std::vector<faces::TraceSpan> traces{
      {7, 2, 8},    // inside the first scene
      {3, 25, 45},  // ends in the third: certain in the second and third
      {5, 5, 45},   // starts in the first, ends in the third, encloses the second
      {9, 60, 70},  // after every scene
      {1, 15, 55},  // encloses the second and third scenes
  };
  faces::TraceAttribution got = faces::attribute_traces(scenes, traces);
  REQUIRE(got.trace_ids.size() == 3);
  CHECK(got.trace_ids[0] == std::vector<int64_t>{5, 7});
  CHECK(got.trace_ids[1] == std::vector<int64_t>{3});
  CHECK(got.trace_ids[2] == std::vector<int64_t>{3, 5});
  std::vector<std::pair<size_t, int64_t>> expected{{1, 5}, {1, 1}, {2, 1}};
  CHECK(got.undecided == expected);
  CHECK(faces::attribute_traces({}, traces).undecided.empty());
}

TEST_CASE("scene_timings: start_secs is the sum of the durations before, from the real timestamps") {
  // A variable-frame-rate index on a 1/1000 time base: frames at 0, 40, 80,
  // 200, 240, 1000 ms.
  std::vector<media::PacketInfo> packets;
  for (int64_t pts : {0, 40, 80, 200, 240, 1000}) {
    media::PacketInfo p;
    p.pts = pts;
    p.dts = pts;
    p.has_dts = true;
    p.keyframe = pts == 0;
    packets.push_back(p);
  }
  auto index = media::FrameIndex::from_packets(packets, {1, 1000});
  REQUIRE(index);
  // Scenes: frames 0-1 (0..80 ms), 3 (200..240), 5 (the last: 1000 + 760).
  auto timings = faces::scene_timings({{0, 1}, {3, 3}, {5, 5}}, index.value());
  REQUIRE(timings.size() == 3);
  CHECK(timings[0].start_secs == doctest::Approx(0.0));
  CHECK(timings[0].duration_secs == doctest::Approx(0.080));
  CHECK(timings[1].start_secs == doctest::Approx(0.080));
  CHECK(timings[1].duration_secs == doctest::Approx(0.040));
  CHECK(timings[2].start_secs == doctest::Approx(0.120));
  CHECK(timings[2].duration_secs == doctest::Approx(0.760));
  CHECK(faces::scene_timings({}, index.value()).empty());
}
