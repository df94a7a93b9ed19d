#include "overlay/label_drawing.hpp"

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
}  // namespace

YuvColor trace_color(int64_t trace_id) {
  // Negated in unsigned arithmetic: -INT64_MIN does not exist as an int64_t
  // (the label fuzzer found it), while the unsigned magnitude always does.
  uint64_t magnitude = static_cast<uint64_t>(trace_id);
  if (trace_id < 0) magnitude = 0 - magnitude;
  return palette(static_cast<size_t>(magnitude));
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

}  // namespace frameserve::overlay
