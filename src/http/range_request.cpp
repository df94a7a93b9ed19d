#include "http/range_request.hpp"

#include <limits>

#include "common/text.hpp"

namespace frameserve::http {

namespace {
struct Spec {
  std::optional<uint64_t> start;
  std::optional<uint64_t> end;
};

void skip_spaces(std::string_view text, size_t& pos) {
  while (pos < text.size() && text[pos] == ' ') ++pos;
}

// Reads digits at `pos`; false on overflow.
bool read_number(std::string_view text, size_t& pos, std::optional<uint64_t>& out) {
  if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') return true;  // absent
  uint64_t value = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    uint64_t digit = static_cast<uint64_t>(text[pos] - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return false;
    value = value * 10 + digit;
    ++pos;
  }
  out = value;
  return true;
}

// Parses "a-b, c-, -n" into specs; false when malformed.
bool parse_specs(std::string_view text, std::vector<Spec>& specs) {
  size_t pos = 0;
  while (true) {
    Spec spec;
    skip_spaces(text, pos);
    if (!read_number(text, pos, spec.start)) return false;
    skip_spaces(text, pos);
    if (pos >= text.size() || text[pos] != '-') return false;
    ++pos;
    skip_spaces(text, pos);
    if (!read_number(text, pos, spec.end)) return false;
    skip_spaces(text, pos);
    if (!spec.start && !spec.end) return false;
    if (spec.start && spec.end && *spec.start > *spec.end) return false;
    specs.push_back(spec);
    if (pos == text.size()) return true;
    if (text[pos] != ',') return false;
    ++pos;
  }
}
}  // namespace

RangeRequest evaluate_range(std::optional<std::string_view> header, uint64_t size) {
  RangeRequest result;
  if (!header) return result;
  constexpr std::string_view k_unit = "bytes=";
  // Other units, and "bytes=" with nothing after it, are ignored.
  if (header->size() <= k_unit.size() || !iequals(header->substr(0, k_unit.size()), k_unit)) return result;

  std::vector<Spec> specs;
  if (!parse_specs(header->substr(k_unit.size()), specs)) {
    result.kind = RangeRequest::Kind::unsatisfiable;
    return result;
  }
  uint64_t total = 0;
  for (const Spec& spec : specs) {
    ByteRange range;
    if (size == 0 && (!spec.start || *spec.start == 0)) {
      // nginx answers such a request on an empty body with the (empty) body.
      result.ranges.clear();
      return result;
    }
    if (!spec.start) {  // suffix: the last n bytes
      uint64_t n = *spec.end;
      if (n == 0 || size == 0) continue;
      range.first = n >= size ? 0 : size - n;
      range.last = size - 1;
    } else {
      if (*spec.start >= size) continue;
      range.first = *spec.start;
      range.last = (!spec.end || *spec.end >= size) ? size - 1 : *spec.end;
    }
    total += range.length();
    result.ranges.push_back(range);
  }
  if (result.ranges.empty()) {
    result.kind = RangeRequest::Kind::unsatisfiable;
  } else if (result.ranges.size() == 1) {
    result.kind = RangeRequest::Kind::single;
  } else if (total > size) {
    result.kind = RangeRequest::Kind::full;
    result.ranges.clear();
  } else {
    result.kind = RangeRequest::Kind::multipart;
  }
  return result;
}

std::string content_range_value(const ByteRange& range, uint64_t size) {
  return "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" + std::to_string(size);
}

}  // namespace frameserve::http
