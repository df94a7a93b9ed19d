#include "faces/frame_runs.hpp"

#include <algorithm>

namespace frameserve::faces {

std::vector<db::FrameRun> shared_frame_runs(const std::vector<db::FrameRun>& a, const std::vector<db::FrameRun>& b) {
  std::vector<db::FrameRun> shared;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    int64_t first = std::max(a[i].first, b[j].first);
    int64_t last = std::min(a[i].last, b[j].last);
    if (first <= last) shared.push_back(db::FrameRun{first, last});
    // The run that ends first cannot meet any later run of the other list.
    if (a[i].last < b[j].last) {
      ++i;
    } else {
      ++j;
    }
  }
  return shared;
}

SharedFrames intersect_frame_runs(const std::vector<db::FrameRun>& a, const std::vector<db::FrameRun>& b) {
  SharedFrames count;
  for (const db::FrameRun& run : shared_frame_runs(a, b)) {
    if (!count.first_frame) count.first_frame = run.first;
    count.frames += run.last - run.first + 1;
  }
  return count;
}

}  // namespace frameserve::faces
