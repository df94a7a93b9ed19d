#include "overlay/detection_painter.hpp"

#include <algorithm>

#include "overlay/label_drawing.hpp"

namespace frameserve::overlay {

namespace {
const YuvColor k_dimmed = yuv_from_rgb(128, 128, 128);
}  // namespace

DetectionPainter::DetectionPainter(DetectionFeed feed, std::unordered_map<int64_t, db::TraceLabel> labels,
                                   std::vector<int64_t> highlight_traces, int frame_height)
    : m_feed(std::move(feed)),
      m_labels(std::move(labels)),
      m_highlight(std::move(highlight_traces)),
      m_scale(std::max(1, frame_height / 360)),
      m_thickness(std::max(2, frame_height / 240)) {
  std::sort(m_highlight.begin(), m_highlight.end());
}

Status DetectionPainter::paint(int64_t frame, YuvCanvas& canvas) {
  auto detections = m_feed.at(frame);
  if (!detections) return detections.error();
  // Dimmed traces first, so the highlighted one is drawn on top.
  for (int pass = 0; pass < 2; ++pass) {
    for (const db::BoxDetection& d : detections.value()) {
      bool dimmed = !m_highlight.empty() && !std::binary_search(m_highlight.begin(), m_highlight.end(), d.trace_id);
      if (dimmed != (pass == 0)) continue;
      if (dimmed) {
        draw_box(canvas, d.x, d.y, d.width, d.height, 1, k_dimmed);
        continue;
      }
      YuvColor color = trace_color(d.trace_id);
      int thickness = m_highlight.empty() ? m_thickness : m_thickness + 1;
      draw_box(canvas, d.x, d.y, d.width, d.height, thickness, color);
      auto label = m_labels.find(d.trace_id);
      std::string text = detection_label(label == m_labels.end() ? nullptr : &label->second, d.trace_id, d.confidence);
      draw_box_label(canvas, d, thickness, text, m_scale, color);
    }
  }
  return Status();
}

}  // namespace frameserve::overlay
