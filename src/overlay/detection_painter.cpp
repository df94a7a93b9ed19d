#include "overlay/detection_painter.hpp"

#include <algorithm>
#include <cstdio>

namespace frameserve::overlay {

namespace {
// Twelve saturated colours, far apart in hue, readable on most pictures.
const YuvColor& palette(size_t index) {
  static const YuvColor k_colors[] = {
      yuv_from_rgb(255, 64, 64),  yuv_from_rgb(64, 220, 64),  yuv_from_rgb(64, 128, 255), yuv_from_rgb(255, 200, 0),
      yuv_from_rgb(255, 0, 255),  yuv_from_rgb(0, 230, 230),  yuv_from_rgb(255, 128, 0),  yuv_from_rgb(160, 96, 255),
      yuv_from_rgb(0, 160, 96),   yuv_from_rgb(255, 96, 160), yuv_from_rgb(160, 255, 64), yuv_from_rgb(96, 192, 255),
  };
  return k_colors[index % (sizeof k_colors / sizeof k_colors[0])];
}
const YuvColor k_dimmed = yuv_from_rgb(128, 128, 128);
}  // namespace

YuvColor trace_color(int64_t trace_id) {
  return palette(static_cast<size_t>(trace_id < 0 ? -trace_id : trace_id));
}

std::string detection_label(const db::TraceLabel* label, int64_t trace_id, double confidence) {
  std::string name;
  if (label) name = label->identity_name.empty() ? label->label : label->identity_name;
  char tail[48];
  std::snprintf(tail, sizeof tail, "#%lld %.2f", static_cast<long long>(trace_id), confidence);
  return name.empty() ? std::string(tail) : name + " " + tail;
}

void draw_label(YuvCanvas& canvas, int x, int y, const std::string& text, int scale, YuvColor background) {
  int pad = scale;
  int w = text_width(text, scale) + 2 * pad;
  int h = text_height(scale) + 2 * pad;
  // Even coordinates keep each glyph pixel on whole chroma samples: sharper
  // colour edges, and cheaper for the encoder. Labels need not be exact.
  x = std::clamp(x, 0, std::max(0, canvas.width() - w)) & ~1;
  y = std::clamp(y, 0, std::max(0, canvas.height() - h)) & ~1;
  canvas.fill_rect(x, y, w, h, background);
  // Dark text on light colours, light text on dark ones.
  YuvColor ink = background.y > 128 ? YuvColor{16, 128, 128} : YuvColor{235, 128, 128};
  canvas.draw_text(x + pad, y + pad, text, scale, ink);
}

DetectionPainter::DetectionPainter(DetectionFeed feed, std::unordered_map<int64_t, db::TraceLabel> labels,
                                   std::optional<int64_t> highlight_trace, int frame_height)
    : m_feed(std::move(feed)),
      m_labels(std::move(labels)),
      m_highlight(highlight_trace),
      m_scale(std::max(1, frame_height / 360)),
      m_thickness(std::max(2, frame_height / 240)) {}

Status DetectionPainter::paint(int64_t frame, YuvCanvas& canvas) {
  auto detections = m_feed.at(frame);
  if (!detections) return detections.error();
  // Dimmed traces first, so the highlighted one is drawn on top.
  for (int pass = 0; pass < 2; ++pass) {
    for (const db::BoxDetection& d : detections.value()) {
      bool dimmed = m_highlight && *m_highlight != d.trace_id;
      if (dimmed != (pass == 0)) continue;
      if (dimmed) {
        canvas.outline_rect(d.x, d.y, d.width, d.height, 1, k_dimmed);
        continue;
      }
      YuvColor color = trace_color(d.trace_id);
      int thickness = m_highlight ? m_thickness + 1 : m_thickness;
      canvas.outline_rect(d.x, d.y, d.width, d.height, thickness, color);
      auto label = m_labels.find(d.trace_id);
      std::string text = detection_label(label == m_labels.end() ? nullptr : &label->second, d.trace_id, d.confidence);
      int label_height = text_height(m_scale) + 2 * m_scale;
      int label_y = d.y - label_height >= 0 ? d.y - label_height : d.y + d.height;
      draw_label(canvas, d.x, label_y, text, m_scale, color);
    }
  }
  return Status();
}

}  // namespace frameserve::overlay
