// libFuzzer harness for query parameters: the input is a request target's
// query string, parsed by cpp-httplib exactly as the server parses it
// (detail::parse_query_text, which also percent-decodes), then read through
// http::QueryParams the way the endpoints read it — read_stream_params for
// /clip, /video and the overlays, and the getters and bounds of /thumbnail.
// Every getter must either return a value within its bounds or an
// invalid_argument error with a message; nothing else is acceptable.
#include <httplib.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/query_params.hpp"
#include "http/resources/media_params.hpp"

using frameserve::ErrorKind;
using frameserve::http::QueryParams;

namespace {
// A failed getter must be bad input (400) with an explanation.
template <typename R>
void check_error(const R& result) {
  if (result) return;
  if (result.error().kind != ErrorKind::invalid_argument || result.error().message.empty()) std::abort();
}

void check_integer(const QueryParams& q, const char* name, int64_t min, int64_t max) {
  auto value = q.integer(name, min, max);
  check_error(value);
  if (value && value.value() && (*value.value() < min || *value.value() > max)) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string query(reinterpret_cast<const char*>(data), size);
  httplib::Request req;
  httplib::detail::parse_query_text(query, req.params);
  QueryParams q(req);

  auto stream = frameserve::http::read_stream_params(q);
  check_error(stream);
  if (stream) {
    const auto& range = stream.value().range;
    if (range.start_frame && (*range.start_frame < 0 || *range.start_frame > INT32_MAX)) std::abort();
    if (range.fps && !(*range.fps >= 0.001 && *range.fps <= 1000)) std::abort();
  }

  // /thumbnail's parameters and bounds (http/resources/thumbnail_resource.cpp).
  check_error(q.required_integer("frame", 0, INT32_MAX));
  check_integer(q, "x", 0, INT32_MAX);
  check_integer(q, "y", 0, INT32_MAX);
  check_integer(q, "w", 1, INT32_MAX);
  check_integer(q, "h", 1, INT32_MAX);
  check_integer(q, "quality", 1, 100);
  check_integer(q, "width", 1, 8192);
  check_integer(q, "height", 1, 8192);
  check_integer(q, "pad_frames", 0, 100000);
  check_error(q.choice("format", {"jpeg", "jpg", "png"}, "jpeg"));
  auto time = q.number("start_time", 0, 1e7);
  check_error(time);
  if (time && time.value() && !(*time.value() >= 0 && *time.value() <= 1e7)) std::abort();
  check_error(q.text("access_token"));
  return 0;
}
