// Names in any script: the 5x7 font's Latin-1 letters, GNU Unifont for
// everything else in the BMP, one font per label, and UTF-8 decoding that
// never overreads. Rendered pixels are compared with an oracle built here:
// Unifont's own hex rows (copied from unifont.hex, and checked against the
// installed file when it is there) and the 5x7 glyph table.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "overlay/bidi_order.hpp"
#include "overlay/bitmap_font.hpp"
#include "overlay/text_layout.hpp"
#include "overlay/unifont_glyphs.hpp"
#include "overlay/yuv_canvas.hpp"
#include "support/skip_or_fail.hpp"

using namespace frameserve::overlay;

namespace {

constexpr uint8_t k_paper = 16;
constexpr uint8_t k_ink = 235;

// The label of the issue, and every glyph it needs, as unifont.hex has them.
const char* const k_mixed =
    "Zo\xc3\xab \xc3\x9cnsal \xe5\xbc\xa0\xe4\xbc\x9f \xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd "
    "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf";  // Zoë Ünsal 张伟 Иван محمد
const std::map<char32_t, std::string> k_unifont_hex = {
    {U'\u005a', "000000007E02020408102040407E0000"},
    {U'\u006f', "0000000000003C4242424242423C0000"},
    {U'\u00eb', "0000242400003C42427E4040423C0000"},
    {U'\u0020', "00000000000000000000000000000000"},
    {U'\u00dc', "242400004242424242424242423C0000"},
    {U'\u006e', "0000000000005C624242424242420000"},
    {U'\u0073', "0000000000003C4240300C02423C0000"},
    {U'\u0061', "0000000000003C42023E4242463A0000"},
    {U'\u006c', "000000180808080808080808083E0000"},
    {U'\u5f20', "0100F9080908091009207940410047FE41407920092009100908094451822100"},
    {U'\u4f1f', "08400840084017FE1040304033FC5040904017FE10421042104A104410401040"},
    {U'\u0418', "000000004246464A4A52526262420000"},
    {U'\u0432', "0000000000007C42427C4242427C0000"},
    {U'\u0430', "0000000000003C42023E4242463A0000"},
    {U'\u043d', "0000000000004242427E424242420000"},
    {U'\u0645', "00000000000000001C061E2020202020"},
    {U'\u062d', "00000000000000007E1020404040221C"},
    {U'\u062f', "000000000000080402427C0000000000"},
};

int hex_value(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

// Pixel (col, row) of a unifont.hex glyph: 16 rows, 2 or 4 hex digits each.
bool hex_pixel(const std::string& hex, int col, int row) {
  int digits_per_row = static_cast<int>(hex.size()) / 16;
  int digit = hex_value(hex[static_cast<size_t>(row * digits_per_row + col / 4)]);
  return (digit >> (3 - col % 4)) & 1;
}

struct Frame {
  int width;
  int height;
  std::vector<uint8_t> data;
  Frame(int w, int h) : width(w), height(h), data(i420_frame_size(w, h), k_paper) {}
  YuvCanvas canvas() { return YuvCanvas(data.data(), width, height); }
  bool ink(int x, int y) const { return data[static_cast<size_t>(y) * width + x] == k_ink; }
};

// Draws `text` at (ox, oy) and counts the pixels of the frame whose ink
// differs from `expected(x, y)` (in frame pixels relative to the text).
template <typename Expected>
int mismatches(const std::string& text, int scale, int frame_w, int frame_h, Expected expected) {
  Frame frame(frame_w, frame_h);
  YuvCanvas canvas = frame.canvas();
  const int ox = 4;
  const int oy = 4;
  canvas.draw_text(ox, oy, text, scale, YuvColor{k_ink, 128, 128});
  int wrong = 0;
  for (int y = 0; y < frame_h; ++y) {
    for (int x = 0; x < frame_w; ++x) {
      if (frame.ink(x, y) != expected(x - ox, y - oy)) ++wrong;
    }
  }
  return wrong;
}

}  // namespace

TEST_CASE("Latin-1 letters have their own 5x7 glyphs, built on the ASCII shapes") {
  std::set<Glyph> seen;
  for (char32_t c = 0x20; c <= 0x7e; ++c) seen.insert(glyph_for(c));
  // Seven rows leave no room to tell an accented capital O, drawn 5 rows
  // tall under its accent, from the accented lowercase o: Ò-Ö look like
  // ò-ö (as on character LCDs). Every other letter is distinct.
  for (char32_t c = 0xD2; c <= 0xD6; ++c) CHECK(glyph_for(c) == glyph_for(c + 0x20));
  for (char32_t c = 0xC0; c <= 0xFF; ++c) {
    CAPTURE(static_cast<int>(c));
    if (c == 0xD7 || c == 0xF7) {  // × and ÷ are symbols: Unifont's
      CHECK_FALSE(has_glyph(c));
      continue;
    }
    CHECK(has_glyph(c));
    CHECK(&glyph_for(c) != &placeholder_glyph());
    // No letter looks like another one, or like an ASCII character.
    if (c < 0xF2 || c > 0xF6) CHECK(seen.insert(glyph_for(c)).second);
  }
  CHECK(has_glyph(0xA0));
  CHECK_FALSE(has_glyph(0xA9));  // © is left to Unifont

  // An accented lowercase letter is its ASCII letter's x-height body
  // (rows 2-6) under the accent; dotless for i.
  const std::pair<char32_t, char> bodies[] = {{U'à', 'a'}, {U'á', 'a'}, {U'â', 'a'}, {U'ã', 'a'}, {U'ä', 'a'},
                                              {U'è', 'e'}, {U'é', 'e'}, {U'ê', 'e'}, {U'ë', 'e'}, {U'ì', 'i'},
                                              {U'í', 'i'}, {U'î', 'i'}, {U'ï', 'i'}, {U'ñ', 'n'}, {U'ò', 'o'},
                                              {U'ó', 'o'}, {U'ô', 'o'}, {U'õ', 'o'}, {U'ö', 'o'}, {U'ù', 'u'},
                                              {U'ú', 'u'}, {U'û', 'u'}, {U'ü', 'u'}, {U'ý', 'y'}, {U'ÿ', 'y'}};
  for (auto [accented, base] : bodies) {
    CAPTURE(static_cast<int>(accented));
    for (size_t row = 2; row < 7; ++row) CHECK(glyph_for(accented)[row] == glyph_for(static_cast<char32_t>(base))[row]);
  }
  // The expected pixels of a few, row by row.
  CHECK(glyph_for(U'ë') == Glyph{0x0A, 0x00, 0x0E, 0x11, 0x1F, 0x10, 0x0E});
  CHECK(glyph_for(U'Ü') == Glyph{0x0A, 0x00, 0x11, 0x11, 0x11, 0x11, 0x0E});
  CHECK(glyph_for(U'é') == Glyph{0x02, 0x04, 0x0E, 0x11, 0x1F, 0x10, 0x0E});
  CHECK(glyph_for(U'Ç') == Glyph{0x0E, 0x11, 0x10, 0x11, 0x0E, 0x04, 0x0C});
}

TEST_CASE("a Latin-1 name is drawn in the 5x7 font, pixel for pixel") {
  const std::string text = "Zo\xc3\xab \xc3\x9cnsal \xc3\x87\xc3\xa9";  // Zoë Ünsal Çé
  const std::vector<char32_t> chars = {U'Z', U'o', U'ë', U' ', U'Ü', U'n', U's', U'a', U'l', U' ', U'Ç', U'é'};
  TextLayout layout = layout_text(text, 2);
  CHECK_FALSE(layout.unifont);
  CHECK(layout.height == 14);
  CHECK(layout.width == 12 * k_glyph_advance * 2);
  for (int scale : {1, 2, 3}) {
    CAPTURE(scale);
    int wrong = mismatches(text, scale, 160, 32, [&](int x, int y) {
      if (x < 0 || y < 0 || y >= k_glyph_height * scale) return false;
      size_t index = static_cast<size_t>(x / (k_glyph_advance * scale));
      int col = x / scale % k_glyph_advance;
      if (index >= chars.size() || col >= k_glyph_width) return false;
      return ((glyph_for(chars[index])[static_cast<size_t>(y / scale)] >> (4 - col)) & 1) != 0;
    });
    CHECK(wrong == 0);
  }
}

TEST_CASE("a label in several scripts is drawn wholly from Unifont, pixel for pixel") {
  // Unifont's glyphs, as the oracle lays them out: left to right, 8 or 16
  // wide, the Arabic name (its last four letters) right to left.
  std::vector<char32_t> chars = decode_utf8(k_mixed);
  REQUIRE(chars.size() == 22);
  std::reverse(chars.end() - 4, chars.end());
  CHECK(chars.back() == U'\u0645');
  std::vector<int> starts;
  int pen = 0;
  for (char32_t c : chars) {
    REQUIRE(k_unifont_hex.count(c) == 1);
    starts.push_back(pen);
    pen += static_cast<int>(k_unifont_hex.at(c).size()) / 4;  // 32 digits: 8 wide; 64: 16
  }
  CHECK(pen == 8 * 20 + 16 * 2);

  for (int scale : {1, 2, 4}) {
    CAPTURE(scale);
    TextLayout layout = layout_text(k_mixed, scale);
    CHECK(layout.unifont);
    // Unifont pixels about as tall in all as the 5x7 font's 7 rows at this scale.
    int pixel = scale == 4 ? 2 : 1;
    CHECK(layout.pixel == pixel);
    CHECK(layout.width == pen * pixel);
    CHECK(layout.height == 16 * pixel);
    CHECK(text_width(k_mixed, scale) == layout.width);
    CHECK(text_height(k_mixed, scale) == layout.height);
    int wrong = mismatches(k_mixed, scale, pen * pixel + 8, 16 * pixel + 8, [&](int x, int y) {
      if (x < 0 || y < 0 || y >= 16 * pixel || x >= pen * pixel) return false;
      int fx = x / pixel;
      size_t index = 0;
      while (index + 1 < starts.size() && starts[index + 1] <= fx) ++index;
      return hex_pixel(k_unifont_hex.at(chars[index]), fx - starts[index], y / pixel);
    });
    CHECK(wrong == 0);
  }
}

TEST_CASE("the compiled Unifont table is unifont.hex") {
  for (const auto& [c, hex] : k_unifont_hex) {
    CAPTURE(static_cast<int>(c));
    auto glyph = unifont_glyph(c);
    REQUIRE(glyph);
    CHECK(glyph->width == static_cast<int>(hex.size()) / 4);
    for (int row = 0; row < 16; ++row) {
      for (int col = 0; col < glyph->width; ++col) {
        bool bit = (glyph->rows[row * glyph->width / 8 + col / 8] >> (7 - col % 8)) & 1;
        CHECK(bit == hex_pixel(hex, col, row));
      }
    }
  }
  // The whole BMP, not only the characters above: compare every glyph with
  // the installed file, when there is one.
  std::ifstream file("/usr/share/unifont/unifont.hex");
  if (!file) {
    frameserve::testing::skip_or_fail(
        "/usr/share/unifont/unifont.hex is not installed: only the embedded samples were checked");
    return;
  }
  std::string line;
  int compared = 0;
  int wrong = 0;
  while (std::getline(file, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto c = static_cast<char32_t>(std::stoul(line.substr(0, colon), nullptr, 16));
    if (c > 0xFFFF || c < 0x20 || (c >= 0x7F && c <= 0x9F)) continue;
    std::string hex = line.substr(colon + 1);
    auto glyph = unifont_glyph(c);
    if (!glyph || glyph->width != static_cast<int>(hex.size()) / 4) {
      ++wrong;
      continue;
    }
    for (int i = 0; i < static_cast<int>(hex.size()) / 2; ++i) {
      int byte = hex_value(hex[2 * static_cast<size_t>(i)]) * 16 + hex_value(hex[2 * static_cast<size_t>(i) + 1]);
      if (glyph->rows[i] != byte) {
        ++wrong;
        break;
      }
    }
    ++compared;
  }
  MESSAGE(compared << " Unifont glyphs compared with the installed unifont.hex");
  CHECK(compared > 50000);
  CHECK(wrong == 0);
  // Never a glyph for what has none: controls, unassigned, beyond the BMP.
  CHECK_FALSE(unifont_glyph(U'\n'));
  CHECK_FALSE(unifont_glyph(0x85));
  CHECK_FALSE(unifont_glyph(0xD800));  // a surrogate
  CHECK_FALSE(unifont_glyph(0xE000));  // private use
  CHECK(unifont_glyph(0x0378));        // unassigned: Unifont's own numbered box
  CHECK_FALSE(unifont_glyph(0x1F600));
  CHECK_FALSE(unifont_glyph(0x110000));
}

TEST_CASE("combining marks sit on their letter; what no font has is a box") {
  // e + U+0308 needs Unifont (the 5x7 font has no combining marks): the
  // diaeresis is drawn over the e, not after it.
  TextLayout decomposed = layout_text("Zoe\xcc\x88", 2);
  REQUIRE(decomposed.unifont);
  REQUIRE(decomposed.glyphs.size() == 4);
  CHECK(decomposed.glyphs[3].x == decomposed.glyphs[2].x);
  CHECK(decomposed.width == 24);
  // The cell of the e holds the e and Unifont's diaeresis, nothing else.
  const std::string e = "0000000000003C42427E4040423C0000";
  const std::string diaeresis = "00666600000000000000000000000000";
  Frame frame(40, 24);
  frame.canvas().draw_text(0, 0, "Zoe\xcc\x88", 2, YuvColor{k_ink, 128, 128});
  int wrong = 0;
  int marked = 0;
  for (int y = 0; y < 16; ++y) {
    for (int x = 16; x < 24; ++x) {
      bool want = hex_pixel(e, x - 16, y) || hex_pixel(diaeresis, x - 16, y);
      wrong += frame.ink(x, y) != want;
      marked += hex_pixel(diaeresis, x - 16, y);
    }
  }
  CHECK(marked == 8);
  CHECK(wrong == 0);
  CHECK(layout_text("Zo\xc3\xab", 2).unifont == false);

  // Beyond the BMP (an emoji) and U+FFFD: the placeholder, in either font.
  TextLayout emoji = layout_text("a\xf0\x9f\x98\x80", 1);
  CHECK_FALSE(emoji.unifont);
  REQUIRE(emoji.glyphs.size() == 2);
  CHECK(emoji.glyphs[1].rows == placeholder_glyph().data());
  TextLayout mixed = layout_text("\xe5\xbc\xa0\xf0\x9f\x98\x80\xff", 1);
  CHECK(mixed.unifont);
  REQUIRE(mixed.glyphs.size() == 3);
  CHECK(mixed.glyphs[1].rows == mixed.glyphs[2].rows);  // both the box
  CHECK(mixed.glyphs[1].width == 8);
}

TEST_CASE("UTF-8 decoding rejects every ill-formed sequence, byte by byte") {
  const std::pair<std::string, std::vector<char32_t>> cases[] = {
      {"Zo\xc3\xab", {U'Z', U'o', U'\u00eb'}},
      {"\xe5\xbc\xa0", {U'\u5f20'}},
      {"\xf0\x9f\x98\x80", {0x1F600}},
      {"\xf4\x8f\xbf\xbf", {0x10FFFF}},
      {"a\xff", {U'a', 0xFFFD}},
      {"\xe5\xbc", {0xFFFD, 0xFFFD}},              // truncated at the end
      {"\xc0\xaf", {0xFFFD, 0xFFFD}},              // overlong '/'
      {"\xc1\xbf", {0xFFFD, 0xFFFD}},              // overlong
      {"\xe0\x80\xaf", {0xFFFD, 0xFFFD, 0xFFFD}},  // overlong, 3 bytes
      {"\xf0\x80\x80\xaf", {0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}},
      {"\xed\xa0\x80", {0xFFFD, 0xFFFD, 0xFFFD}},              // a UTF-16 surrogate
      {"\xf4\x90\x80\x80", {0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}},  // beyond U+10FFFF
      {"\xf5\x80", {0xFFFD, 0xFFFD}},
      {"\x80x", {0xFFFD, U'x'}},
      {"\xe5\xbcx", {0xFFFD, 0xFFFD, U'x'}},
      {std::string("a\0b", 3), {U'a', 0, U'b'}},
  };
  for (const auto& [bytes, expected] : cases) {
    CAPTURE(bytes);
    CHECK(decode_utf8(bytes) == expected);
  }
}

TEST_CASE("any bytes at all lay out and draw inside the frame") {
  // Every two-byte string, then pseudo-random strings (fixed seed) drawn at
  // positions partly or wholly off the frame. Under the sanitizer build any
  // overread or out-of-frame write fails here.
  Frame frame(48, 40);
  YuvCanvas canvas = frame.canvas();
  int oversized = 0;
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      std::string text{static_cast<char>(a), static_cast<char>(b)};
      TextLayout layout = layout_text(text, 1);
      oversized += layout.glyphs.size() > 2;
    }
  }
  CHECK(oversized == 0);
  uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  int invalid = 0;
  int misreported = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text(next() % 24, '\0');
    for (char& ch : text) {
      // Mostly lead and continuation bytes, where decoders go wrong.
      ch = static_cast<char>(next() % 4 == 0 ? next() % 128 : 0x80 + next() % 128);
    }
    for (char32_t c : decode_utf8(text)) invalid += c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF);
    int x = static_cast<int>(next() % 120) - 60;
    int y = static_cast<int>(next() % 80) - 40;
    int scale = static_cast<int>(next() % 4);
    int width = canvas.draw_text(x, y, text, scale, YuvColor{k_ink, 128, 128});
    misreported += width != text_width(text, scale);
  }
  CHECK(invalid == 0);
  CHECK(misreported == 0);

  // Extremes: a huge scale, coordinates at the ends of int, a label longer
  // than any frame is wide. Sizes stay bounded and nothing overflows.
  const std::string long_label(100000, 'W');
  for (int scale : {-5, 0, 1000, std::numeric_limits<int>::max()}) {
    for (int at : {std::numeric_limits<int>::min(), -1000, 7, std::numeric_limits<int>::max()}) {
      canvas.draw_text(at, at, long_label, scale, YuvColor{k_ink, 128, 128});
      canvas.draw_text(at, 3, "\xe5\xbc\xa0\xd9\x85", scale, YuvColor{k_ink, 128, 128});
      canvas.fill_rect(at, at, std::numeric_limits<int>::max(), std::numeric_limits<int>::max(), YuvColor{});
    }
    CHECK(text_width(long_label, scale) <= static_cast<int>(k_max_text_bytes) * k_glyph_advance * k_max_text_scale);
    CHECK(text_height("W", scale) <= k_glyph_height * k_max_text_scale);
  }
}

TEST_CASE("right-to-left names are shown right to left, the rest in order") {
  auto visual = [](const std::string& text) { return visual_order(decode_utf8(text)); };
  auto chars = [](const std::string& text) { return decode_utf8(text); };
  // Hebrew letters (no shaping needed): אבג דהו between Latin words.
  CHECK(visual("abc \xd7\x90\xd7\x91\xd7\x92 \xd7\x93\xd7\x94\xd7\x95 xyz") ==
        chars("abc \xd7\x95\xd7\x94\xd7\x93 \xd7\x92\xd7\x91\xd7\x90 xyz"));
  // A label: the Arabic name mirrored, "#6 0.91" after it untouched.
  CHECK(visual("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf #6 0.91") == chars("\xd8\xaf\xd9\x85\xd8\xad\xd9\x85 #6 0.91"));
  // A number inside a run reads left to right; brackets inside are mirrored.
  CHECK(visual("\xd7\x90 12.5 \xd7\x91") == chars("\xd7\x91 12.5 \xd7\x90"));
  CHECK(visual("\xd7\x90 (\xd7\x91) \xd7\x92") == chars("\xd7\x92 (\xd7\x91) \xd7\x90"));
  // Combining marks stay on their letter: مُحَمَّد keeps each harakah after its base.
  std::vector<char32_t> marked = visual("\xd9\x85\xd9\x8f\xd8\xad\xd9\x8e\xd9\x85\xd9\x8e\xd9\x91\xd8\xaf");
  CHECK(marked == std::vector<char32_t>{0x062F, 0x0645, 0x064E, 0x0651, 0x062D, 0x064E, 0x0645, 0x064F});
  // Without right-to-left letters nothing moves, brackets included.
  CHECK(visual("Zo\xc3\xab (\xe5\xbc\xa0) #1") == chars("Zo\xc3\xab (\xe5\xbc\xa0) #1"));

  // Drawn: each harakah lies on its letter's cell, not beside it.
  TextLayout layout = layout_text("\xd9\x85\xd9\x8f\xd8\xad", 2);
  REQUIRE(layout.glyphs.size() == 3);
  CHECK(layout.width == 16);
  CHECK(layout.glyphs[0].x == 0);  // ح first: the name reads right to left
  CHECK(layout.glyphs[1].x == 8);  // م
  CHECK(layout.glyphs[2].x == 8);  // its damma, on it
}
