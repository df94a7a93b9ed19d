// DetectionPainter: boxes and labels of the detections on each frame.
//
// Every trace has its own stable colour. A box is outlined exactly along
// its bbox edges; its label — the identity's name when known, else the
// trace's label, then "#trace_id" and the confidence — sits on a plate of
// the trace's colour above it (below when there is no room), in the 5x7
// font or, for names in other scripts, GNU Unifont (overlay/text_layout.hpp).
// With a highlighted trace (the trace video), that trace is drawn thick and
// labelled and every other trace is dimmed: a thin grey outline, no label.
//
// Legible on any picture: every stroke and plate is edged, on both sides,
// with a neutral colour at the far end of the luma range from its own
// (contrast_color), so a box on a background of its own colour still shows
// its edges, and on any uniform background some part of the box differs
// from it by at least about 50 luma levels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "db/detection_store.hpp"
#include "overlay/detection_feed.hpp"
#include "overlay/frame_painter.hpp"

namespace frameserve::overlay {

class DetectionPainter : public FramePainter {
 public:
  DetectionPainter(DetectionFeed feed, std::unordered_map<int64_t, db::TraceLabel> labels,
                   std::optional<int64_t> highlight_trace, int frame_height);

  Status paint(int64_t frame, YuvCanvas& canvas) override;

 private:
  DetectionFeed m_feed;
  std::unordered_map<int64_t, db::TraceLabel> m_labels;
  std::optional<int64_t> m_highlight;
  int m_scale;      // font pixels per glyph pixel
  int m_thickness;  // box outline, pixels
};

// "Audrey Hepburn #920 0.83"
std::string detection_label(const db::TraceLabel* label, int64_t trace_id, double confidence);
// A stable, distinct colour per trace.
YuvColor trace_color(int64_t trace_id);
// Black for colours in the upper half of the luma range, white for the
// lower half: the ink of text on a plate of `color` and the edge around it.
YuvColor contrast_color(YuvColor color);
// Width of the contrasting edge of a stroke `thickness` pixels wide.
int edge_width(int thickness);

// Outlines the box (x, y, w, h) `thickness` pixels wide inside its bounds
// in `color`, edged outside and inside with contrast_color(color); clipped
// to the frame, nothing for an empty box.
void draw_box(YuvCanvas& canvas, int x, int y, int w, int h, int thickness, YuvColor color);

// The size of the label draw_label draws: its plate and the plate's edge.
int label_width(std::string_view text, int scale);
int label_height(std::string_view text, int scale);
// Draws `text` on an edged plate of `background` whose top-left corner is
// (x, y), moved (never cut) to stay inside the frame when it fits.
void draw_label(YuvCanvas& canvas, int x, int y, std::string_view text, int scale, YuvColor background);
// Draws a box's label where the painter puts it: above the box, its edge
// on the box's outer edge, or below the box when there is no room above.
void draw_box_label(YuvCanvas& canvas, const db::BoxDetection& box, int thickness, std::string_view text, int scale,
                    YuvColor color);

}  // namespace frameserve::overlay
