#include "faces/scenes.hpp"

#include <algorithm>

namespace frameserve::faces {

std::vector<db::FrameRun> scene_spans(const std::vector<db::FrameRun>& runs, int64_t pad_frames, int64_t gap_frames,
                                      int64_t frame_count) {
  std::vector<db::FrameRun> scenes;
  if (frame_count <= 0) return scenes;
  const int64_t last_frame = frame_count - 1;
  // Steps 2 and 3 in one pass: join runs across short gaps, and pad each
  // joined run once it is complete (the next run is too far away).
  std::vector<db::FrameRun> joined;
  for (const db::FrameRun& run : runs) {
    int64_t first = std::max<int64_t>(run.first, 0);
    int64_t last = std::min(run.last, last_frame);
    if (first > last) continue;  // wholly outside the film
    if (!joined.empty() && first - joined.back().last - 1 < gap_frames) {
      joined.back().last = std::max(joined.back().last, last);
    } else {
      joined.push_back(db::FrameRun{first, last});
    }
  }
  // Steps 3 and 4: pad, clamp to the film, merge what overlaps or touches.
  for (const db::FrameRun& run : joined) {
    db::FrameRun padded{std::max<int64_t>(run.first - pad_frames, 0), std::min(run.last + pad_frames, last_frame)};
    if (!scenes.empty() && padded.first <= scenes.back().last + 1) {
      scenes.back().last = std::max(scenes.back().last, padded.last);
    } else {
      scenes.push_back(padded);
    }
  }
  return scenes;
}

int64_t frames_for_seconds(int64_t num, int64_t den, int64_t seconds) {
  if (num <= 0 || den <= 0 || seconds <= 0) return 0;
  // Rounded half up in integers: (2 s num + den) / (2 den).
  return (2 * seconds * num + den) / (2 * den);
}

TraceAttribution attribute_traces(const std::vector<db::FrameRun>& scenes, const std::vector<TraceSpan>& traces) {
  TraceAttribution out;
  out.trace_ids.resize(scenes.size());
  for (const TraceSpan& trace : traces) {
    // The first scene that ends at or after the trace's first frame; from
    // there, every scene that starts at or before its last frame overlaps.
    auto it = std::lower_bound(scenes.begin(), scenes.end(), trace.first,
                               [](const db::FrameRun& scene, int64_t frame) { return scene.last < frame; });
    for (; it != scenes.end() && it->first <= trace.last; ++it) {
      size_t index = static_cast<size_t>(it - scenes.begin());
      bool first_inside = it->first <= trace.first && trace.first <= it->last;
      bool last_inside = it->first <= trace.last && trace.last <= it->last;
      if (first_inside || last_inside) {
        out.trace_ids[index].push_back(trace.trace_id);
      } else {
        out.undecided.emplace_back(index, trace.trace_id);
      }
    }
  }
  for (auto& ids : out.trace_ids) std::sort(ids.begin(), ids.end());
  return out;
}

std::vector<SceneTiming> scene_timings(const std::vector<db::FrameRun>& scenes, const media::FrameIndex& index) {
  std::vector<SceneTiming> timings;
  timings.reserve(scenes.size());
  const media::Rational tb = index.time_base();
  auto secs = [&](int64_t ticks) {
    return static_cast<double>(ticks) * static_cast<double>(tb.num) / static_cast<double>(tb.den);
  };
  // Summed in ticks, converted once per scene, so a long list does not
  // accumulate rounding.
  int64_t before = 0;
  for (const db::FrameRun& scene : scenes) {
    int64_t duration = index.end_pts(scene.last) - index.pts(scene.first);
    timings.push_back(SceneTiming{secs(before), secs(duration)});
    before += duration;
  }
  return timings;
}

}  // namespace frameserve::faces
