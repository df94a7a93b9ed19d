#include "overlay/yuv_canvas.hpp"

#include <algorithm>
#include <cstring>

#include "overlay/bitmap_font.hpp"

namespace frameserve::overlay {

YuvColor yuv_from_rgb(uint8_t r, uint8_t g, uint8_t b) {
  int y = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
  int u = ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
  int v = ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
  auto clamp = [](int value) { return static_cast<uint8_t>(std::clamp(value, 0, 255)); };
  return YuvColor{clamp(y), clamp(u), clamp(v)};
}

size_t i420_frame_size(int width, int height) {
  size_t cw = static_cast<size_t>((width + 1) / 2);
  size_t ch = static_cast<size_t>((height + 1) / 2);
  return static_cast<size_t>(width) * static_cast<size_t>(height) + 2 * cw * ch;
}

YuvCanvas::YuvCanvas(uint8_t* data, int width, int height)
    : m_width(width), m_height(height), m_cw((width + 1) / 2), m_ch((height + 1) / 2) {
  m_y = data;
  m_u = m_y + static_cast<size_t>(width) * static_cast<size_t>(height);
  m_v = m_u + static_cast<size_t>(m_cw) * static_cast<size_t>(m_ch);
}

void YuvCanvas::fill_rect(int x, int y, int w, int h, YuvColor color) {
  int x0 = std::max(0, x);
  int y0 = std::max(0, y);
  // 64-bit ends: a rectangle far off the frame must not overflow.
  int x1 = static_cast<int>(std::min<int64_t>(m_width, int64_t{x} + w));
  int y1 = static_cast<int>(std::min<int64_t>(m_height, int64_t{y} + h));
  if (x0 >= x1 || y0 >= y1) return;
  for (int row = y0; row < y1; ++row) {
    std::memset(m_y + static_cast<size_t>(row) * m_width + x0, color.y, static_cast<size_t>(x1 - x0));
  }
  int cx0 = x0 / 2;
  int cx1 = (x1 + 1) / 2;
  int cy0 = y0 / 2;
  int cy1 = (y1 + 1) / 2;
  for (int row = cy0; row < cy1; ++row) {
    std::memset(m_u + static_cast<size_t>(row) * m_cw + cx0, color.u, static_cast<size_t>(cx1 - cx0));
    std::memset(m_v + static_cast<size_t>(row) * m_cw + cx0, color.v, static_cast<size_t>(cx1 - cx0));
  }
}

void YuvCanvas::outline_rect(int x, int y, int w, int h, int thickness, YuvColor color) {
  if (w <= 0 || h <= 0) return;
  int t = std::max(1, std::min({thickness, (w + 1) / 2, (h + 1) / 2}));
  fill_rect(x, y, w, t, color);                      // top
  fill_rect(x, y + h - t, w, t, color);              // bottom
  fill_rect(x, y + t, t, h - 2 * t, color);          // left
  fill_rect(x + w - t, y + t, t, h - 2 * t, color);  // right
}

void YuvCanvas::dim_rect(int x, int y, int w, int h, int factor) {
  int x0 = std::max(0, x);
  int y0 = std::max(0, y);
  // 64-bit ends: a rectangle far off the frame must not overflow.
  int x1 = static_cast<int>(std::min<int64_t>(m_width, int64_t{x} + w));
  int y1 = static_cast<int>(std::min<int64_t>(m_height, int64_t{y} + h));
  if (x0 >= x1 || y0 >= y1) return;
  for (int row = y0; row < y1; ++row) {
    uint8_t* p = m_y + static_cast<size_t>(row) * m_width;
    for (int col = x0; col < x1; ++col) p[col] = static_cast<uint8_t>(16 + ((p[col] - 16) * factor >> 8));
  }
  for (int row = y0 / 2; row < (y1 + 1) / 2; ++row) {
    uint8_t* u = m_u + static_cast<size_t>(row) * m_cw;
    uint8_t* v = m_v + static_cast<size_t>(row) * m_cw;
    for (int col = x0 / 2; col < (x1 + 1) / 2; ++col) {
      u[col] = static_cast<uint8_t>(128 + ((u[col] - 128) * factor >> 8));
      v[col] = static_cast<uint8_t>(128 + ((v[col] - 128) * factor >> 8));
    }
  }
}

int YuvCanvas::draw_text(int x, int y, std::string_view text, int scale, YuvColor color) {
  return draw_text(x, y, layout_text(text, scale), color);
}

int YuvCanvas::draw_text(int x, int y, const TextLayout& layout, YuvColor color) {
  const int pixel = layout.pixel;
  // Text wholly off the frame draws nothing; past this test every sum below
  // stays within a layout's size (bounded by layout_text) of the frame.
  if (int64_t{x} >= m_width || int64_t{x} + layout.width <= 0 || int64_t{y} >= m_height ||
      int64_t{y} + layout.height <= 0) {
    return layout.width;
  }
  for (const PlacedGlyph& glyph : layout.glyphs) {
    int left = x + glyph.x * pixel;
    // Glyphs wholly outside the frame cost nothing (a long label may run off it).
    if (left >= m_width || left + glyph.width * pixel <= 0) continue;
    for (int row = 0; row < glyph.height; ++row) {
      const uint8_t* bytes = glyph.rows + static_cast<size_t>(row) * glyph.bytes_per_row;
      uint32_t bits = bytes[0];
      if (glyph.bytes_per_row == 2) bits = (bits << 8) | bytes[1];
      int col = 0;
      while (col < glyph.width) {
        // Runs of set pixels become one rectangle.
        if (!(bits & (1u << (glyph.width - 1 - col)))) {
          ++col;
          continue;
        }
        int start = col;
        while (col < glyph.width && (bits & (1u << (glyph.width - 1 - col)))) ++col;
        fill_rect(left + start * pixel, y + row * pixel, (col - start) * pixel, pixel, color);
      }
    }
  }
  return layout.width;
}

int text_width(std::string_view text, int scale) { return layout_text(text, scale).width; }

int text_height(std::string_view text, int scale) { return layout_text(text, scale).height; }

int text_height(int scale) { return k_glyph_height * std::clamp(scale, 1, k_max_text_scale); }

}  // namespace frameserve::overlay
