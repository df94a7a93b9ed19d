#include "overlay/text_layout.hpp"

#include <algorithm>

#include "overlay/bidi_order.hpp"
#include "overlay/bitmap_font.hpp"
#include "overlay/unifont_glyphs.hpp"

namespace frameserve::overlay {

namespace {
// Unifont's stand-in for a character it cannot draw: a hollow box the size
// of a narrow glyph, drawn between its baseline and cap height.
constexpr uint8_t k_unifont_placeholder[k_unifont_height] = {0x00, 0x00, 0x7E, 0x42, 0x42, 0x42, 0x42, 0x42,
                                                             0x42, 0x42, 0x42, 0x42, 0x42, 0x7E, 0x00, 0x00};

// Unifont's glyph for a character, except U+FFFD: a decoding error shows as
// the same placeholder box in both fonts, not as Unifont's diamond.
std::optional<UnifontGlyph> drawable_unifont_glyph(char32_t c) { return c == 0xFFFD ? std::nullopt : unifont_glyph(c); }

// True when some character needs Unifont: the 5x7 font lacks it and Unifont
// has it (a character neither has is a placeholder in either font).
bool needs_unifont(const std::vector<char32_t>& code_points) {
  return std::any_of(code_points.begin(), code_points.end(),
                     [](char32_t c) { return !has_glyph(c) && drawable_unifont_glyph(c).has_value(); });
}
}  // namespace

TextLayout layout_text(std::string_view text, int scale) {
  scale = std::clamp(scale, 1, k_max_text_scale);
  // No frame is wide enough for more characters; the bound keeps every size
  // far from overflowing, whatever the label holds.
  if (text.size() > k_max_text_bytes) text = text.substr(0, k_max_text_bytes);
  std::vector<char32_t> code_points = visual_order(decode_utf8(text));
  TextLayout layout;
  layout.glyphs.reserve(code_points.size());
  layout.unifont = needs_unifont(code_points);
  int pen = 0;
  int right = 0;
  if (!layout.unifont) {
    for (char32_t c : code_points) {
      layout.glyphs.push_back(PlacedGlyph{glyph_for(c).data(), 1, k_glyph_width, k_glyph_height, pen});
      pen += k_glyph_advance;
    }
    layout.pixel = scale;
    layout.width = pen * scale;
    layout.height = k_glyph_height * scale;
    return layout;
  }
  for (char32_t c : code_points) {
    std::optional<UnifontGlyph> glyph = drawable_unifont_glyph(c);
    if (!glyph) {
      layout.glyphs.push_back(PlacedGlyph{k_unifont_placeholder, 1, 8, k_unifont_height, pen});
      pen += 8;
    } else if (glyph->combining_shift > 0 && pen >= glyph->combining_shift) {
      // A combining mark sits on the character before it.
      layout.glyphs.push_back(
          PlacedGlyph{glyph->rows, glyph->width / 8, glyph->width, k_unifont_height, pen - glyph->combining_shift});
    } else {
      layout.glyphs.push_back(PlacedGlyph{glyph->rows, glyph->width / 8, glyph->width, k_unifont_height, pen});
      pen += glyph->width;
    }
    right = std::max(right, layout.glyphs.back().x + layout.glyphs.back().width);
  }
  layout.pixel = std::max(1, (7 * scale + 8) / 16);
  layout.width = std::max(pen, right) * layout.pixel;
  layout.height = k_unifont_height * layout.pixel;
  return layout;
}

}  // namespace frameserve::overlay
