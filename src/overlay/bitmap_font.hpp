// The built-in 5x7 bitmap font: printable ASCII, the no-break space and
// the Latin-1 letters (U+00C0 to U+00FF but × and ÷, accented capitals
// drawn 5 rows tall under their accent), so the labels of most Western names
// are drawn without font files or fontconfig. Text needing any other
// character is drawn from GNU Unifont instead (overlay/text_layout.hpp);
// glyph_for gives a placeholder box for characters this font lacks.
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

// Decodes UTF-8 leniently, never reading past `text`: each byte that does
// not start a well-formed sequence (truncated, overlong, a surrogate, beyond
// U+10FFFF) becomes U+FFFD, which is drawn as the placeholder.
std::vector<char32_t> decode_utf8(std::string_view text);

}  // namespace frameserve::overlay
