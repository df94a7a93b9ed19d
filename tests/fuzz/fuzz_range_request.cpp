// libFuzzer harness for the Range header parser (http::evaluate_range).
//
// Input (FuzzedDataProvider: numbers and flags from the end, the header's
// value from the front): the representation's size (small sizes are the
// interesting ones, so the top bits are masked off half of the time),
// whether a Range header is present, and its value. Besides "no crash, no UB" it checks the contract the
// /video responses rely on: every range lies inside the body, ranges are
// present exactly for single and multipart answers, and their total never
// exceeds the body for multipart.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/range_request.hpp"

using frameserve::http::RangeRequest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  uint64_t body_size = input.ConsumeIntegral<uint64_t>();
  if (input.ConsumeBool()) body_size &= 0xFFFF;
  bool has_header = input.ConsumeBool();
  std::string header = input.ConsumeRemainingBytesAsString();

  RangeRequest result =
      frameserve::http::evaluate_range(has_header ? std::optional<std::string_view>(header) : std::nullopt, body_size);

  // The handlers index the body with these ranges: a violation is a bug.
  uint64_t total = 0;
  for (const auto& range : result.ranges) {
    if (range.first > range.last || range.last >= body_size) std::abort();
    total += range.length();
    (void)frameserve::http::content_range_value(range, body_size);
  }
  switch (result.kind) {
    case RangeRequest::Kind::full:
    case RangeRequest::Kind::unsatisfiable:
      if (!result.ranges.empty()) std::abort();
      break;
    case RangeRequest::Kind::single:
      if (result.ranges.size() != 1) std::abort();
      break;
    case RangeRequest::Kind::multipart:
      if (result.ranges.size() < 2 || total > body_size) std::abort();
      break;
  }
  if (!has_header && result.kind != RangeRequest::Kind::full) std::abort();
  return 0;
}
