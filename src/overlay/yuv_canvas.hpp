// YuvCanvas: drawing on a raw I420 (yuv420p) frame in place — filled and
// outlined rectangles and bitmap text (the built-in 5x7 font or GNU
// Unifont, as overlay/text_layout.hpp chooses).
//
// The canvas does not own the pixels. Coordinates are luma pixels; shapes
// are clipped to the frame, so any box from the database is safe to draw.
// Chroma is subsampled 2x2: shapes at even coordinates colour exactly,
// others colour the chroma samples they overlap. Cost is proportional to
// the pixels drawn, never to the frame size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "overlay/text_layout.hpp"

namespace frameserve::overlay {

struct YuvColor {
  uint8_t y = 16;
  uint8_t u = 128;
  uint8_t v = 128;
};

// BT.601 limited range, the matrix ffmpeg assumes for untagged SD/HD video.
YuvColor yuv_from_rgb(uint8_t r, uint8_t g, uint8_t b);

// Bytes of one I420 frame.
size_t i420_frame_size(int width, int height);

class YuvCanvas {
 public:
  YuvCanvas(uint8_t* data, int width, int height);

  int width() const { return m_width; }
  int height() const { return m_height; }
  uint8_t* luma() { return m_y; }
  int chroma_width() const { return m_cw; }
  int chroma_height() const { return m_ch; }

  void fill_rect(int x, int y, int w, int h, YuvColor color);
  // An outline drawn inside the box, `thickness` pixels wide.
  void outline_rect(int x, int y, int w, int h, int thickness, YuvColor color);
  // Scales luma towards black inside the box (factor 0..256, 256 = unchanged)
  // and pulls chroma towards grey: "dimmed".
  void dim_rect(int x, int y, int w, int h, int factor);

  // Draws `text` (UTF-8, any bytes) with its top-left corner at (x, y), laid
  // out by layout_text(text, scale); clipped to the frame. Returns the width
  // of the text in pixels.
  int draw_text(int x, int y, std::string_view text, int scale, YuvColor color);
  // The same for text already laid out (measure once, draw once).
  int draw_text(int x, int y, const TextLayout& layout, YuvColor color);

 private:
  int m_width;
  int m_height;
  int m_cw;
  int m_ch;
  uint8_t* m_y;
  uint8_t* m_u;
  uint8_t* m_v;
};

// Width and height of `text` drawn at `scale` (see layout_text).
int text_width(std::string_view text, int scale);
int text_height(std::string_view text, int scale);
// Height of a text the 5x7 font draws whole (ASCII and Latin-1 letters);
// text that needs Unifont is taller: measure it with text_height(text, scale).
int text_height(int scale);

}  // namespace frameserve::overlay
