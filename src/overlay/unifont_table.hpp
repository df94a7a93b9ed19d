// The GNU Unifont glyph table compiled into the binary: every Basic
// Multilingual Plane glyph of /usr/share/unifont/unifont.hex, turned into
// binary form at build time by scripts/make_glyph_table.cpp (the generated
// source is build/gen/unifont_table.cpp). No font file is read at run time.
//
// Read it through overlay/unifont_glyphs.hpp, which knows the entry layout.
#pragma once

#include <cstdint>

namespace frameserve::overlay::unifont_table {

// One entry per BMP code point. 0 means "no glyph". Otherwise:
//   bits 0..23   byte offset of the glyph's bitmap in k_bitmaps
//   bit 24       the glyph is 16 pixels wide (else 8)
//   bits 25..29  a combining mark: draw it this many pixels left of the pen
//                and do not advance (from Unifont's plane00-combining.txt;
//                its marks at offset 0 go back by their own width)
//   bit 31       present
constexpr uint32_t k_present = 1u << 31;
constexpr uint32_t k_wide = 1u << 24;
constexpr int k_combining_shift = 25;
constexpr uint32_t k_offset_mask = (1u << 24) - 1;
constexpr int k_height = 16;

extern const uint32_t k_index[65536];
// 16 rows per glyph, one byte per row (8 wide) or two (16 wide, left byte
// first); the most significant bit is the leftmost pixel.
extern const unsigned char k_bitmaps[];

}  // namespace frameserve::overlay::unifont_table
