// Reading an animated WebP's structure (RIFF chunks), for tests: ffmpeg
// 5.1's WebP decoder cannot decode animations ("image data not found"), so
// ffprobe cannot count their frames; the container says them exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace frameserve::testing {

struct WebpAnimation {
  bool valid = false;     // RIFF....WEBP with a VP8X chunk
  bool animated = false;  // the VP8X animation flag
  int canvas_width = 0;
  int canvas_height = 0;
  int loop_count = -1;            // from ANIM (0: forever); -1 without one
  std::vector<int> durations_ms;  // one per ANMF frame
};

// Parses `bytes`; `valid` is false when it is not an extended WebP.
WebpAnimation parse_webp_animation(const std::string& bytes);

}  // namespace frameserve::testing
