// TextLayout: how a label's text is drawn — which font, how large, and
// where each glyph goes — before anything touches a frame.
//
// One font per text, so a label has one baseline and one style: a text
// whose every character the built-in 5x7 font has (printable ASCII and the
// Latin-1 letters) is drawn in it, each font pixel `scale` pixels wide, as
// labels always were. A text with any character only GNU Unifont has (CJK,
// Cyrillic, Arabic, combining marks…) is drawn wholly from Unifont — its
// ASCII and Latin-1 glyphs included — each Unifont pixel
// max(1, round(7 × scale / 16)) pixels wide, so its 16-pixel rows stand
// about as tall as the 5x7 text would (at 720p, scale 2: 16 px against 14).
// A character neither font has (outside the BMP, unassigned, a control
// character, a U+FFFD from invalid UTF-8) is a hollow placeholder box.
//
// Characters are laid out left to right in display order: right-to-left
// names are mirrored by overlay/bidi_order.hpp. Arabic is not shaped (each
// letter shows its isolated form).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace frameserve::overlay {

struct PlacedGlyph {
  // `height` rows of `bytes_per_row` bytes; bit (width - 1), counted from
  // the least significant bit of the row's big-endian value, is the
  // leftmost pixel.
  const uint8_t* rows = nullptr;
  int bytes_per_row = 1;
  int width = 0;
  int height = 0;
  int x = 0;  // font pixels from the text's left edge
};

struct TextLayout {
  std::vector<PlacedGlyph> glyphs;
  int pixel = 1;   // frame pixels per font pixel
  int width = 0;   // frame pixels
  int height = 0;  // frame pixels
  bool unifont = false;
};

// Bounds on what is laid out: a scale of 64 draws 5x7 glyphs 448 pixels
// tall, and 16,384 bytes are more characters than any frame is wide.
constexpr int k_max_text_scale = 64;
constexpr size_t k_max_text_bytes = 16384;

// Lays out UTF-8 `text` for the 5x7 font scale `scale` (clamped to
// 1..k_max_text_scale), its first k_max_text_bytes bytes at most. Never
// fails: invalid bytes become placeholder boxes.
TextLayout layout_text(std::string_view text, int scale);

}  // namespace frameserve::overlay
