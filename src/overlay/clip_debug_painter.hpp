// ClipDebugPainter: "CLIP" and the source frame number on every frame of a
// mode=debug clip, so frame accuracy can be checked by eye.
#pragma once

#include <algorithm>

#include "overlay/frame_painter.hpp"

namespace frameserve::overlay {

class ClipDebugPainter : public FramePainter {
 public:
  explicit ClipDebugPainter(int frame_height) : m_scale(std::max(2, frame_height / 180)) {}
  Status paint(int64_t frame, YuvCanvas& canvas) override;

 private:
  int m_scale;
};

}  // namespace frameserve::overlay
