// Detection labels and boxes: the text a box carries, its trace's colour,
// and drawing boxes and labels on a frame. Pure drawing on a caller's
// canvas, with no database access, so the overlay painters and the label
// fuzzer (tests/fuzz) share one code path. Every function is thread-safe
// (no shared state) and none fails: any text, any position, any size is
// clipped to the frame.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "db/detection_store.hpp"
#include "overlay/yuv_canvas.hpp"

namespace frameserve::overlay {

// "Audrey Hepburn #920 0.83"
std::string detection_label(const db::TraceLabel* label, int64_t trace_id, double confidence);
// A stable, distinct colour per trace; defined for every int64_t.
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
