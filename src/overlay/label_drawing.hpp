// Detection labels: the text a box carries, its trace's colour, and drawing
// it on a frame. Pure drawing on a caller's canvas, with no database access,
// so the overlay painters and the label fuzzer (tests/fuzz) share one code path.
#pragma once

#include <cstdint>
#include <string>

#include "db/detection_store.hpp"
#include "overlay/yuv_canvas.hpp"

namespace frameserve::overlay {

// "Audrey Hepburn #920 0.83"; never fails (any name, any number).
std::string detection_label(const db::TraceLabel* label, int64_t trace_id, double confidence);
// A stable, distinct colour per trace; defined for every int64_t.
YuvColor trace_color(int64_t trace_id);

// Draws a text label with a filled background at (x, y), kept inside the
// frame. Never fails: any position and any text (clipped to the frame) at
// the scales frames use (1 per 360 lines of height).
void draw_label(YuvCanvas& canvas, int x, int y, const std::string& text, int scale, YuvColor background);

}  // namespace frameserve::overlay
