#include "overlay/bidi_order.hpp"

#include <algorithm>

#include "overlay/unifont_glyphs.hpp"

namespace frameserve::overlay {

namespace {

enum class Kind { left_to_right, right_to_left, digit, neutral };

bool is_digit(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9);
}

// Spaces and punctuation: they take the direction of what surrounds them.
bool is_neutral(char32_t c) {
  if (c < 0x80) return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  return (c >= 0xA0 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x206F) || c == 0x060C;
}

// The blocks of the right-to-left scripts in the BMP (Hebrew to Arabic
// Extended-A, Hebrew and Arabic presentation forms).
bool is_right_to_left(char32_t c) {
  return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

Kind kind_of(char32_t c) {
  if (is_digit(c)) return Kind::digit;
  if (is_neutral(c)) return Kind::neutral;
  if (is_right_to_left(c)) return Kind::right_to_left;
  return Kind::left_to_right;
}

bool is_mark(char32_t c) {
  std::optional<UnifontGlyph> glyph = unifont_glyph(c);
  return glyph && glyph->combining_shift > 0;
}

char32_t mirrored(char32_t c) {
  switch (c) {
    case '(': return ')';
    case ')': return '(';
    case '[': return ']';
    case ']': return '[';
    case '{': return '}';
    case '}': return '{';
    case '<': return '>';
    case '>': return '<';
    case 0xAB: return 0xBB;  // « »
    case 0xBB: return 0xAB;
    default: return c;
  }
}

// A unit that keeps its inner order when a run is mirrored: a character with
// its combining marks, or a number ("12", "3.14").
struct Unit {
  size_t begin;
  size_t end;
  Kind kind;
};

}  // namespace

std::vector<char32_t> visual_order(std::vector<char32_t> logical) {
  if (std::none_of(logical.begin(), logical.end(), is_right_to_left)) return logical;

  std::vector<Unit> units;
  for (size_t i = 0; i < logical.size();) {
    size_t end = i + 1;
    while (end < logical.size() && is_mark(logical[end])) ++end;
    Kind kind = kind_of(logical[i]);
    // A number absorbs the digits that follow it, and one separator between
    // two digits.
    if (kind == Kind::digit && !units.empty() && units.back().kind == Kind::digit) {
      units.back().end = end;
    } else if (kind == Kind::digit && units.size() >= 2 && units[units.size() - 2].kind == Kind::digit &&
               units.back().end - units.back().begin == 1 &&
               (logical[units.back().begin] == '.' || logical[units.back().begin] == ',' ||
                logical[units.back().begin] == ':')) {
      units.pop_back();
      units.back().end = end;
    } else {
      units.push_back(Unit{i, end, kind});
    }
    i = end;
  }

  std::vector<char32_t> visual;
  visual.reserve(logical.size());
  auto append = [&](const Unit& unit, bool in_run) {
    for (size_t k = unit.begin; k < unit.end; ++k) visual.push_back(in_run ? mirrored(logical[k]) : logical[k]);
  };
  for (size_t u = 0; u < units.size();) {
    if (units[u].kind != Kind::right_to_left) {
      append(units[u++], false);
      continue;
    }
    // The run ends at its last right-to-left letter before a left-to-right one.
    size_t last = u;
    for (size_t k = u + 1; k < units.size() && units[k].kind != Kind::left_to_right; ++k) {
      if (units[k].kind == Kind::right_to_left) last = k;
    }
    for (size_t k = last + 1; k-- > u;) append(units[k], true);
    u = last + 1;
  }
  return visual;
}

}  // namespace frameserve::overlay
