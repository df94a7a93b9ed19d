#include "support/webp_checks.hpp"

namespace frameserve::testing {

namespace {
uint32_t le(const std::string& b, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b[at + static_cast<size_t>(i)]);
  return v;
}
}  // namespace

WebpAnimation parse_webp_animation(const std::string& b) {
  WebpAnimation a;
  if (b.size() < 12 || b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WEBP") != 0) return a;
  size_t at = 12;
  while (at + 8 <= b.size()) {
    std::string fourcc = b.substr(at, 4);
    size_t size = le(b, at + 4, 4);
    size_t body = at + 8;
    if (body + size > b.size()) break;
    if (fourcc == "VP8X" && size >= 10) {
      a.valid = true;
      a.animated = (static_cast<uint8_t>(b[body]) & 0x02) != 0;
      a.canvas_width = static_cast<int>(le(b, body + 4, 3)) + 1;
      a.canvas_height = static_cast<int>(le(b, body + 7, 3)) + 1;
    } else if (fourcc == "ANIM" && size >= 6) {
      a.loop_count = static_cast<int>(le(b, body + 4, 2));
    } else if (fourcc == "ANMF" && size >= 16) {
      a.durations_ms.push_back(static_cast<int>(le(b, body + 12, 3)));
    }
    at = body + size + (size & 1);  // chunks are padded to even sizes
  }
  return a;
}

}  // namespace frameserve::testing
