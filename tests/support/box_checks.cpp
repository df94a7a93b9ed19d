#include "support/box_checks.hpp"

#include <cstdlib>

namespace frameserve::testing {

double box_edge_match(const std::string& yuv444_frame, int width, int height, const db::BoxDetection& box,
                      overlay::YuvColor color) {
  auto at = [&](int plane, int x, int row) {
    size_t offset = static_cast<size_t>(plane) * width * height + static_cast<size_t>(row) * width + x;
    return offset < yuv444_frame.size() ? static_cast<int>(static_cast<uint8_t>(yuv444_frame[offset])) : -1000;
  };
  int hits = 0;
  int total = 0;
  for (int row = box.y + 3; row < box.y + box.height - 3; ++row) {
    for (int x : {box.x, box.x + 1, box.x + box.width - 2, box.x + box.width - 1}) {
      if (x < 0 || x >= width || row < 0 || row >= height) continue;
      if (std::abs(at(0, x, row) - color.y) < 40 && std::abs(at(1, x, row) - color.u) < 40 &&
          std::abs(at(2, x, row) - color.v) < 40) {
        ++hits;
      }
      ++total;
    }
  }
  return total == 0 ? 0 : static_cast<double>(hits) / total;
}

}  // namespace frameserve::testing
