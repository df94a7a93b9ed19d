#include "overlay/label_drawing.hpp"

#include <algorithm>
#include <cstdio>

namespace frameserve::overlay {

namespace {
// Twelve saturated colours, far apart in hue, readable on most pictures.
const YuvColor& palette(size_t index) {
  static const YuvColor k_colors[] = {
      yuv_from_rgb(255, 64, 64), yuv_from_rgb(64, 220, 64),  yuv_from_rgb(64, 128, 255), yuv_from_rgb(255, 200, 0),
      yuv_from_rgb(255, 0, 255), yuv_from_rgb(0, 230, 230),  yuv_from_rgb(255, 128, 0),  yuv_from_rgb(160, 96, 255),
      yuv_from_rgb(0, 160, 96),  yuv_from_rgb(255, 96, 160), yuv_from_rgb(160, 255, 64), yuv_from_rgb(96, 192, 255),
  };
  return k_colors[index % (sizeof k_colors / sizeof k_colors[0])];
}

// The padding around a label's text, and the plate's edge: as wide as a
// box's edge at the same frame size. Scales are bounded as layout_text
// bounds them.
int label_pad(int scale) { return std::clamp(scale, 1, k_max_text_scale); }
int label_edge(int scale) { return std::max(1, label_pad(scale) / 2); }
}  // namespace

YuvColor trace_color(int64_t trace_id) {
  // Negated in unsigned arithmetic: -INT64_MIN does not exist as an int64_t
  // (the label fuzzer found it), while the unsigned magnitude always does.
  uint64_t magnitude = static_cast<uint64_t>(trace_id);
  if (trace_id < 0) magnitude = 0 - magnitude;
  return palette(static_cast<size_t>(magnitude));
}

YuvColor contrast_color(YuvColor color) {
  // 126 is the middle of the video luma range 16..235.
  return color.y >= 126 ? YuvColor{16, 128, 128} : YuvColor{235, 128, 128};
}

int edge_width(int thickness) { return std::max(1, thickness / 3); }

std::string detection_label(const db::TraceLabel* label, int64_t trace_id, double confidence) {
  std::string name;
  if (label) name = label->identity_name.empty() ? label->label : label->identity_name;
  char tail[48];
  std::snprintf(tail, sizeof tail, "#%lld %.2f", static_cast<long long>(trace_id), confidence);
  return name.empty() ? std::string(tail) : name + " " + tail;
}

void draw_box(YuvCanvas& canvas, int x, int y, int w, int h, int thickness, YuvColor color) {
  if (w <= 0 || h <= 0) return;
  int t = std::max(1, std::min({thickness, (w + 1) / 2, (h + 1) / 2}));
  int e = edge_width(thickness);
  // One ring of the edge colour under the stroke, e pixels wider on both
  // sides, then the stroke on top: two passes instead of three. Where the
  // edge and the stroke share a chroma sample the stroke keeps its colour;
  // the edges' contrast is in their luma.
  canvas.outline_rect(x - e, y - e, w + 2 * e, h + 2 * e, t + 2 * e, contrast_color(color));
  canvas.outline_rect(x, y, w, h, t, color);
}

namespace {
struct LabelBox {
  int width;
  int height;
};

LabelBox label_box(const TextLayout& layout, int scale) {
  int frame = 2 * label_pad(scale) + 2 * label_edge(scale);
  return LabelBox{layout.width + frame, layout.height + frame};
}

void draw_laid_out_label(YuvCanvas& canvas, int x, int y, const TextLayout& layout, int scale, YuvColor background) {
  int pad = label_pad(scale);
  int e = label_edge(scale);
  LabelBox box = label_box(layout, scale);
  // Even coordinates keep each glyph pixel on whole chroma samples: sharper
  // colour edges, and cheaper for the encoder. Labels need not be exact.
  x = std::clamp(x, 0, std::max(0, canvas.width() - box.width)) & ~1;
  y = std::clamp(y, 0, std::max(0, canvas.height() - box.height)) & ~1;
  YuvColor ink = contrast_color(background);
  canvas.outline_rect(x, y, box.width, box.height, e, ink);
  canvas.fill_rect(x + e, y + e, box.width - 2 * e, box.height - 2 * e, background);
  canvas.draw_text(x + e + pad, y + e + pad, layout, ink);
}
}  // namespace

int label_width(std::string_view text, int scale) { return label_box(layout_text(text, scale), scale).width; }

int label_height(std::string_view text, int scale) { return label_box(layout_text(text, scale), scale).height; }

void draw_label(YuvCanvas& canvas, int x, int y, std::string_view text, int scale, YuvColor background) {
  draw_laid_out_label(canvas, x, y, layout_text(text, scale), scale, background);
}

void draw_box_label(YuvCanvas& canvas, const db::BoxDetection& box, int thickness, std::string_view text, int scale,
                    YuvColor color) {
  TextLayout layout = layout_text(text, scale);
  int height = label_box(layout, scale).height;
  int y = box.y - height >= 0 ? box.y - height : box.y + box.height;
  draw_laid_out_label(canvas, box.x - edge_width(thickness), y, layout, scale, color);
}

}  // namespace frameserve::overlay
