// intersect_frame_runs: the shared frames of two identities from their runs,
// checked against a frame-by-frame intersection.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "faces/frame_runs.hpp"

using namespace frameserve;

namespace {
std::vector<db::FrameRun> runs_of(const std::set<int64_t>& frames) {
  std::vector<db::FrameRun> runs;
  for (int64_t f : frames) {
    if (!runs.empty() && runs.back().last + 1 == f) {
      runs.back().last = f;
    } else {
      runs.push_back(db::FrameRun{f, f});
    }
  }
  return runs;
}
}  // namespace

TEST_CASE("intersect_frame_runs: edge cases") {
  CHECK_FALSE(faces::intersect_frame_runs({}, {}).first_frame);
  CHECK_FALSE(faces::intersect_frame_runs({{0, 10}}, {}).first_frame);
  // Touching is not overlapping.
  CHECK_FALSE(faces::intersect_frame_runs({{0, 10}}, {{11, 20}}).first_frame);
  auto one = faces::intersect_frame_runs({{0, 10}}, {{10, 20}});
  REQUIRE(one.first_frame);
  CHECK(*one.first_frame == 10);
  CHECK(one.frames == 1);
  // One long run against many short ones.
  auto many = faces::intersect_frame_runs({{0, 100}}, {{5, 6}, {50, 59}, {100, 200}});
  REQUIRE(many.first_frame);
  CHECK(*many.first_frame == 5);
  CHECK(many.frames == 2 + 10 + 1);
}

TEST_CASE("intersect_frame_runs equals the frame-by-frame intersection on random frame sets") {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    std::set<int64_t> a, b;
    int density_a = 1 + static_cast<int>(random() % 9);
    int density_b = 1 + static_cast<int>(random() % 9);
    for (int64_t f = 0; f < 500; ++f) {
      if (static_cast<int>(random() % 10) < density_a) a.insert(f);
      if (static_cast<int>(random() % 10) < density_b) b.insert(f);
    }
    std::optional<int64_t> first;
    int64_t count = 0;
    for (int64_t f : a) {
      if (b.count(f) == 0) continue;
      if (!first) first = f;
      ++count;
    }
    CAPTURE(round);
    faces::SharedFrames shared = faces::intersect_frame_runs(runs_of(a), runs_of(b));
    CHECK(shared.first_frame == first);
    CHECK(shared.frames == count);
  }
}
