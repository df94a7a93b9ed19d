// libFuzzer harness for label-to-glyph rendering: the text of a detection's
// label (overlay::detection_label, from a name that came from an import
// file: any bytes, any UTF-8 or not), decoded to glyphs (decode_utf8,
// glyph_for, layout_text with Unifont and right-to-left runs) and drawn with
// its box (draw_box, draw_box_label, draw_label, dim_rect) on an I420
// frame of any small size at any position and scale.
//
// The frame buffer is exactly i420_frame_size() bytes, so AddressSanitizer
// reports any pixel written outside the frame.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "overlay/bitmap_font.hpp"
#include "overlay/label_drawing.hpp"
#include "overlay/yuv_canvas.hpp"

using namespace frameserve;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  int width = input.ConsumeIntegralInRange<int>(1, 97);
  int height = input.ConsumeIntegralInRange<int>(1, 97);
  // Scales as DetectionPainter picks them (frame height / 360) up to 8K.
  int scale = input.ConsumeIntegralInRange<int>(1, 24);
  // Boxes from the database lie inside the picture, but the canvas promises
  // to clip anything: try boxes well outside it too.
  int x = input.ConsumeIntegralInRange<int>(-(1 << 20), 1 << 20);
  int y = input.ConsumeIntegralInRange<int>(-(1 << 20), 1 << 20);
  int w = input.ConsumeIntegralInRange<int>(-(1 << 20), 1 << 20);
  int h = input.ConsumeIntegralInRange<int>(-(1 << 20), 1 << 20);
  int thickness = input.ConsumeIntegralInRange<int>(1, 8);
  int dim_factor = input.ConsumeIntegralInRange<int>(0, 256);
  int64_t trace_id = input.ConsumeIntegral<int64_t>();
  double confidence = input.ConsumeFloatingPoint<double>();
  bool with_label = input.ConsumeBool();
  db::TraceLabel label;
  label.label = input.ConsumeRandomLengthString(64);
  label.identity_name = input.ConsumeRemainingBytesAsString();

  std::vector<uint8_t> frame(overlay::i420_frame_size(width, height), 0x80);
  overlay::YuvCanvas canvas(frame.data(), width, height);

  std::string text = overlay::detection_label(with_label ? &label : nullptr, trace_id, confidence);
  overlay::YuvColor color = overlay::trace_color(trace_id);
  overlay::draw_box(canvas, x, y, w, h, thickness, color);
  canvas.dim_rect(x, y, w, h, dim_factor);
  overlay::draw_label(canvas, x, y, text, scale, color);
  db::BoxDetection box{};
  box.x = x;
  box.y = y;
  box.width = w;
  box.height = h;
  overlay::draw_box_label(canvas, box, thickness, text, scale, color);

  // Every decoded character has a glyph (the placeholder for the unknown).
  for (char32_t c : overlay::decode_utf8(text)) {
    const overlay::Glyph& glyph = overlay::glyph_for(c);
    if (!overlay::has_glyph(c) && &glyph != &overlay::placeholder_glyph()) std::abort();
  }
  if (overlay::text_width(text, scale) < 0) std::abort();
  return 0;
}
