// Intersecting two identities' frame runs: where and how long two people
// are on screen together (the co-occurrence endpoint and its CLI twin).
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "db/face_store.hpp"

namespace frameserve::faces {

struct SharedFrames {
  std::optional<int64_t> first_frame;  // nullopt: never together
  int64_t frames = 0;                  // how many frames hold both
};

// The first frame and the number of frames in both `a` and `b`. Both must be
// ordered, non-overlapping runs (as FaceStore::identity_frame_runs returns
// them); never fails. Linear in the number of runs.
SharedFrames intersect_frame_runs(const std::vector<db::FrameRun>& a, const std::vector<db::FrameRun>& b);

// The frames in both `a` and `b`, as ordered, non-overlapping runs (the
// scenes of two people). Same preconditions as intersect_frame_runs; never
// fails. Linear in the number of runs.
std::vector<db::FrameRun> shared_frame_runs(const std::vector<db::FrameRun>& a, const std::vector<db::FrameRun>& b);

}  // namespace frameserve::faces
