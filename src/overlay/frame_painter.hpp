// FramePainter: what an overlay stream draws on each decoded frame.
//
// Called from the stream's feeder thread with source frame numbers in
// increasing order. Implementations may read the database (through the
// thread-safe pool); an error ends the stream.
#pragma once

#include <cstdint>

#include "common/result.hpp"
#include "overlay/yuv_canvas.hpp"

namespace frameserve::overlay {

class FramePainter {
 public:
  virtual ~FramePainter() = default;
  virtual Status paint(int64_t frame, YuvCanvas& canvas) = 0;
};

}  // namespace frameserve::overlay
