// Rational: an exact fraction such as a time base (1/90000) or a frame rate
// (30000/1001). Kept exact because frame-accurate work must not round.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace frameserve::media {

struct Rational {
  int64_t num = 0;
  int64_t den = 1;

  bool valid() const { return num > 0 && den > 0; }
  double value() const { return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den); }
  std::string str() const { return std::to_string(num) + "/" + std::to_string(den); }
  bool operator==(const Rational&) const = default;
};

// Parses "30000/1001" or "25"; nullopt for "0/0", negatives or garbage.
std::optional<Rational> parse_rational(std::string_view text);

// Parses a decimal seconds string as printed by ffprobe ("1.443511") into
// whole microseconds without going through floating point.
std::optional<int64_t> parse_seconds_to_us(std::string_view text);

// floor(ticks * tb * 1e6) using 128-bit intermediate arithmetic.
int64_t ticks_to_us_floor(int64_t ticks, Rational time_base);

// Formats microseconds as seconds for ffmpeg's -ss/-t ("12.345678").
std::string format_us_as_seconds(int64_t microseconds);

}  // namespace frameserve::media
