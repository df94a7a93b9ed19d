// Judging a drawn detection box by its pixels: the overlay, HLS and
// archive tests decode a stream to yuv444p planes and ask whether the box
// of a detection is drawn on that very frame. The vertical edges of the
// fixtures' squares move from frame to frame, so a box drawn one frame off
// scores low. Stateless.
#pragma once

#include <string>

#include "db/detection_store.hpp"
#include "overlay/yuv_canvas.hpp"

namespace frameserve::testing {

// Fraction (0..1) of the pixels on the box's left and right edges (2 px
// wide, inside the box, 3 px in from the corners) whose colour is within 40
// of `color` in each of Y, U and V, in a width x height yuv444p frame
// (three full planes). 0 when the box lies outside the picture.
double box_edge_match(const std::string& yuv444_frame, int width, int height, const db::BoxDetection& box,
                      overlay::YuvColor color);

}  // namespace frameserve::testing
