// A built-in 5x7 bitmap font for printable ASCII, so labels are drawn
// without font files or fontconfig. Any other character (including every
// non-ASCII letter and invalid UTF-8) is drawn as a placeholder box.
//
// Text is never interpreted: quotes, colons, backslashes and percent signs
// are glyphs like any other.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace frameserve::overlay {

constexpr int k_glyph_width = 5;
constexpr int k_glyph_height = 7;
// Horizontal advance per character, in font pixels (glyph plus spacing).
constexpr int k_glyph_advance = 6;

// Rows top to bottom; bit 4 is the leftmost pixel.
using Glyph = std::array<uint8_t, k_glyph_height>;

// The glyph for a Unicode code point (placeholder when not in the font).
const Glyph& glyph_for(char32_t code_point);
const Glyph& placeholder_glyph();
bool has_glyph(char32_t code_point);

// Decodes UTF-8 leniently: each invalid byte becomes U+FFFD, which the font
// draws as the placeholder.
std::vector<char32_t> decode_utf8(std::string_view text);

}  // namespace frameserve::overlay
