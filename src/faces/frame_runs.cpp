#include "faces/frame_runs.hpp"

#include <algorithm>

namespace frameserve::faces {

SharedFrames intersect_frame_runs(const std::vector<db::FrameRun>& a, const std::vector<db::FrameRun>& b) {
  SharedFrames shared;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    int64_t first = std::max(a[i].first, b[j].first);
    int64_t last = std::min(a[i].last, b[j].last);
    if (first <= last) {
      if (!shared.first_frame) shared.first_frame = first;
      shared.frames += last - first + 1;
    }
    // The run that ends first cannot meet any later run of the other list.
    if (a[i].last < b[j].last) {
      ++i;
    } else {
      ++j;
    }
  }
  return shared;
}

}  // namespace frameserve::faces
