// Shared by the import parsers' libFuzzer harnesses: how an input becomes
// the bytes of an import, and how those are split into lines.
//
// Inputs stay short (scripts/fuzz.sh caps them near 1 KB), yet what once
// crashed the server was one line of 200,000 '[' and what swelled it was one
// line of 300 MB. So an input starting with the byte 0x01 is a pattern: the
// rest of it is repeated to k_grown_size bytes, which builds nesting 80
// times the JSON depth bound ("\x01[" or "\x01{\"a\":") and a line past
// the harness's line bound ("\x01a") from a two-byte seed. The harness
// splits with a bound of 4 KiB instead of the importer's 64 KiB: the code is
// the same, and runs over 64 KiB inputs were 20 times slower.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "import/line_splitter.hpp"

namespace frameserve::fuzz {

constexpr size_t k_fuzz_line_bytes = 4096;
constexpr size_t k_grown_size = k_fuzz_line_bytes + 1024;

// The import's bytes for a fuzz input (see above).
inline std::string import_bytes(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.size() < 2 || input.front() != '\x01') return std::string(input);
  std::string_view pattern = input.substr(1);
  std::string grown;
  grown.reserve(k_grown_size + pattern.size());
  while (grown.size() < k_grown_size) grown.append(pattern);
  return grown;
}

// Splits `text` as an import does, in chunks of a size taken from the text
// (so lines straddle chunk boundaries differently from run to run), calling
// `on_line` on each line. A refusal must be an invalid_argument with a
// message: anything else aborts, as the harness's own checks do.
template <typename OnLine>
void split_lines(std::string_view text, OnLine on_line) {
  import::LineSplitter splitter(k_fuzz_line_bytes);
  auto handler = [&](std::string_view line, int64_t) -> Status {
    on_line(line);
    return Status();
  };
  size_t chunk = 64 + (text.empty() ? 0 : static_cast<unsigned char>(text.back()) % 97) * 97;
  Status status;
  for (size_t at = 0; at < text.size() && status; at += chunk) status = splitter.feed(text.substr(at, chunk), handler);
  if (status) status = splitter.finish(handler);
  if (!status && (status.error().kind != ErrorKind::invalid_argument || status.error().message.empty())) std::abort();
}

}  // namespace frameserve::fuzz
