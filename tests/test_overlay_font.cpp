#include <doctest/doctest.h>

#include <vector>

#include "overlay/bitmap_font.hpp"
#include "overlay/yuv_canvas.hpp"

using namespace frameserve::overlay;

TEST_CASE("every printable ASCII character has its own glyph") {
  for (char32_t c = 0x21; c <= 0x7e; ++c) {
    CAPTURE(static_cast<int>(c));
    CHECK(has_glyph(c));
    CHECK(&glyph_for(c) != &placeholder_glyph());
  }
  CHECK(&glyph_for(U'\u5f20') == &placeholder_glyph());  // drawn from Unifont instead
  CHECK(&glyph_for(U'\n') == &placeholder_glyph());
}

TEST_CASE("drawing stays inside the frame and only where asked") {
  const int w = 32;
  const int h = 16;
  std::vector<uint8_t> frame(i420_frame_size(w, h), 0);
  YuvCanvas canvas(frame.data(), w, h);
  YuvColor white{235, 128, 128};
  canvas.fill_rect(-10, -10, 12, 12, white);  // clipped to 2x2 at the corner
  CHECK(frame[0] == 235);
  CHECK(frame[1] == 235);
  CHECK(frame[2] == 0);
  CHECK(frame[static_cast<size_t>(w) * 2] == 0);
  canvas.fill_rect(100, 100, 5, 5, white);  // entirely outside: nothing
  canvas.outline_rect(10, 4, 8, 8, 2, white);
  CHECK(frame[4 * w + 10] == 235);   // top-left corner
  CHECK(frame[7 * w + 13] == 0);     // inside stays
  CHECK(frame[11 * w + 17] == 235);  // bottom-right corner
  int width = canvas.draw_text(0, 8, "O'Brien: \"x\" %{n}", 1, white);
  CHECK(width == text_width("O'Brien: \"x\" %{n}", 1));
}
