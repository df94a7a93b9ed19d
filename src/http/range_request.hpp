// RangeRequest: what a Range header asks of a representation of known size,
// decided the way nginx decides it (tests compare the two on the same file).
//
//  - A header whose unit is not "bytes" (case-insensitive), or "bytes=" with
//    nothing after it, is ignored: 200 with the whole body.
//  - A malformed "bytes=" header, a start past the end of every range, or
//    "bytes=-0" is unsatisfiable: 416 with Content-Range: bytes */SIZE.
//  - Ends past the last byte are clamped; suffix ranges ("-n") take the last
//    n bytes (all of them when n > size).
//  - Several satisfiable ranges make a multipart/byteranges response, unless
//    together they are larger than the body, in which case the whole body is
//    sent with 200 (as nginx does).
//
// Pure functions; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frameserve::http {

struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;  // inclusive
  uint64_t length() const { return last - first + 1; }
  bool operator==(const ByteRange&) const = default;
};

struct RangeRequest {
  enum class Kind { full, single, multipart, unsatisfiable };
  Kind kind = Kind::full;
  std::vector<ByteRange> ranges;  // for single (one) and multipart (several)
};

// `header` is the Range header's value, or nullopt when there is none.
RangeRequest evaluate_range(std::optional<std::string_view> header, uint64_t size);

// "bytes 0-99/1000"
std::string content_range_value(const ByteRange& range, uint64_t size);

}  // namespace frameserve::http
