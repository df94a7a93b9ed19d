#include "overlay/unifont_glyphs.hpp"

#include "overlay/unifont_table.hpp"

namespace frameserve::overlay {

std::optional<UnifontGlyph> unifont_glyph(char32_t cp) {
  if (cp > 0xFFFF || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return std::nullopt;
  uint32_t entry = unifont_table::k_index[cp];
  if (!(entry & unifont_table::k_present)) return std::nullopt;
  UnifontGlyph glyph;
  glyph.rows = unifont_table::k_bitmaps + (entry & unifont_table::k_offset_mask);
  glyph.width = (entry & unifont_table::k_wide) ? 16 : 8;
  glyph.combining_shift = static_cast<int>((entry >> unifont_table::k_combining_shift) & 0x1F);
  return glyph;
}

}  // namespace frameserve::overlay
