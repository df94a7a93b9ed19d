#include "media/rational.hpp"

#include <cstdio>

#include "common/text.hpp"

namespace frameserve::media {

std::optional<Rational> parse_rational(std::string_view text) {
  size_t slash = text.find('/');
  auto num = parse_int64(text.substr(0, slash));
  auto den = slash == std::string_view::npos ? std::optional<int64_t>(1) : parse_int64(text.substr(slash + 1));
  if (!num || !den || *num <= 0 || *den <= 0) return std::nullopt;
  return Rational{*num, *den};
}

std::optional<int64_t> parse_seconds_to_us(std::string_view text) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  size_t dot = text.find('.');
  auto whole = parse_int64(text.substr(0, dot));
  if (!whole || *whole < 0) return std::nullopt;
  int64_t micros = 0;
  if (dot != std::string_view::npos) {
    std::string_view frac = text.substr(dot + 1);
    if (frac.empty()) return std::nullopt;
    int digits = 0;
    for (char c : frac) {
      if (c < '0' || c > '9') return std::nullopt;
      if (digits < 6) {
        micros = micros * 10 + (c - '0');
        ++digits;
      }
    }
    while (digits < 6) {
      micros *= 10;
      ++digits;
    }
  }
  int64_t total = *whole * 1000000 + micros;
  return negative ? -total : total;
}

int64_t ticks_to_us_floor(int64_t ticks, Rational time_base) {
  __int128 scaled = static_cast<__int128>(ticks) * time_base.num * 1000000;
  __int128 q = scaled / time_base.den;
  if (scaled % time_base.den != 0 && scaled < 0) --q;  // floor, not truncation
  return static_cast<int64_t>(q);
}

std::string format_us_as_seconds(int64_t microseconds) {
  char buffer[48];
  const char* sign = microseconds < 0 ? "-" : "";
  int64_t magnitude = microseconds < 0 ? -microseconds : microseconds;
  std::snprintf(buffer, sizeof buffer, "%s%lld.%06lld", sign, static_cast<long long>(magnitude / 1000000),
                static_cast<long long>(magnitude % 1000000));
  return buffer;
}

}  // namespace frameserve::media
