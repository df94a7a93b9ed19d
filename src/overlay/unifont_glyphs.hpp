// GNU Unifont's bitmap glyphs for the Basic Multilingual Plane, compiled
// into the binary (see overlay/unifont_table.hpp): the font for every
// character the built-in 5x7 font does not have — CJK, Cyrillic, Greek,
// Arabic, Hebrew, Devanagari, Hangul and the rest.
//
// Glyphs are 16 pixels tall and 8 or 16 wide. Combining marks carry the
// shift Unifont prescribes to overlay them on the preceding character.
#pragma once

#include <cstdint>
#include <optional>

namespace frameserve::overlay {

constexpr int k_unifont_height = 16;

struct UnifontGlyph {
  // 16 rows of `width / 8` bytes; the most significant bit is the leftmost pixel.
  const uint8_t* rows = nullptr;
  int width = 8;  // 8 or 16
  // A combining mark is drawn this many pixels left of the pen and does not
  // advance it; 0 for every other character.
  int combining_shift = 0;
};

// The glyph of `code_point`, or nullopt when Unifont has none for it: outside
// the BMP, unassigned, a surrogate, or a control character (C0, DEL, C1),
// which labels show as a placeholder box instead of Unifont's hex box.
std::optional<UnifontGlyph> unifont_glyph(char32_t code_point);

}  // namespace frameserve::overlay
