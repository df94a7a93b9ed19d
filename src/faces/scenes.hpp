// Scenes: the stretches of a film in which a person (or two people at once)
// is on screen, widened and merged so that they play one after another as a
// "scene video" — the pure arithmetic behind GET .../identities/:id/scenes,
// .../co-occur-with/:b/scenes and `frameserve scenes`. Pure and thread-safe.
//
// The rule (inclusive frame numbers throughout):
//  1. Input: the frames the person is seen on (any of its traces has a
//     detection there), as ordered, disjoint runs of consecutive frames; for
//     two people, the frames on which both are seen (shared_frame_runs).
//  2. Join: two neighbouring runs whose gap — the number of frames strictly
//     between them, next.first - prev.last - 1 — is shorter than gap_frames
//     become one; repeated along the list. A gap of exactly gap_frames splits.
//     (So a trace that loses the person for gap_frames frames or more splits
//     into two scenes there.)
//  3. Pad: each joined run widens to [first - pad_frames, last + pad_frames],
//     clamped to the film, [0, frame_count - 1].
//  4. Merge: padded scenes that overlap or touch (next.first <= prev.last + 1)
//     become one.
// No runs give no scenes (not an error).
//
// Timing: a scene lasts end_pts(last frame) - pts(first frame) on the
// FrameIndex (real timestamps, so variable frame rate is exact); start_secs
// of a scene is the sum of the durations of the scenes before it, i.e. where
// it begins in the scene video.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "db/face_store.hpp"
#include "media/frame_index.hpp"

namespace frameserve::faces {

// The widest pad_frames / gap_frames accepted (a 1,000,000-frame film is
// 11 hours at 25 fps).
constexpr int64_t k_max_scene_frames = 1'000'000;

// Joined, padded and merged scenes of `runs` (ordered, disjoint), as above.
// pad_frames and gap_frames must be >= 0 and frame_count > 0; runs beyond the
// film are clipped to it. Never fails; linear in the number of runs.
std::vector<db::FrameRun> scene_spans(const std::vector<db::FrameRun>& runs, int64_t pad_frames, int64_t gap_frames,
                                      int64_t frame_count);

// round(seconds x fps), the default pad (1 s) and gap (2 s) of a file; fps
// is the file's average frame rate (num/den, both > 0; 0 otherwise).
int64_t frames_for_seconds(int64_t num, int64_t den, int64_t seconds);

// A trace's stored span: its first and last detection frame.
struct TraceSpan {
  int64_t trace_id = 0;
  int64_t first = 0;
  int64_t last = 0;
};

// Which traces have detections in which scene, from the traces' spans alone
// where the spans decide it. A trace belongs to a scene when it has at least
// one detection within [scene.first, scene.last]: certain when its first or
// last frame lies in the scene (those are detection frames); impossible when
// its span misses the scene; undecided when the span strictly encloses the
// scene (the trace may have lost the person across the whole scene), which
// `undecided` lists as (scene index, trace_id) for the caller to look up.
struct TraceAttribution {
  std::vector<std::vector<int64_t>> trace_ids;  // per scene, ascending, certain ones only
  std::vector<std::pair<size_t, int64_t>> undecided;
};
// `scenes` ordered and disjoint. Never fails; O(traces x log scenes + pairs).
TraceAttribution attribute_traces(const std::vector<db::FrameRun>& scenes, const std::vector<TraceSpan>& traces);

// Where each scene starts in the scene video and how long it lasts, in
// seconds; `scenes` ordered, within [0, index.frame_count() - 1]. Never fails.
struct SceneTiming {
  double start_secs = 0;
  double duration_secs = 0;
};
std::vector<SceneTiming> scene_timings(const std::vector<db::FrameRun>& scenes, const media::FrameIndex& index);

}  // namespace frameserve::faces
