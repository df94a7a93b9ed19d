#include "overlay/clip_debug_painter.hpp"

#include <string>

#include "overlay/label_drawing.hpp"

namespace frameserve::overlay {

Status ClipDebugPainter::paint(int64_t frame, YuvCanvas& canvas) {
  std::string text = "CLIP frame " + std::to_string(frame);
  // Bottom-left, away from the picture's own content at the top.
  draw_label(canvas, 0, canvas.height() - label_height(text, m_scale), text, m_scale, YuvColor{16, 128, 128});
  return Status();
}

}  // namespace frameserve::overlay
