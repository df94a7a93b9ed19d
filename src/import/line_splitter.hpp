// LineSplitter: cuts an import's bytes into numbered lines as they arrive,
// in chunks of any size (a request body from cpp-httplib, a file or stdin
// read by the CLI), for both import formats.
//
//  - A line ends at '\n'; the last one may lack it. A '\r' before the '\n'
//    stays in the line (the parsers ignore it as trailing white space).
//  - A UTF-8 byte-order mark at the very start of the input is skipped:
//    editors and spreadsheet exports on Windows write one.
//  - A line longer than k_max_line_bytes is refused as soon as that many
//    bytes of it have arrived, so an import holds at most one bound's worth
//    of an unfinished line, whatever the input (a 300 MB line took the
//    server to 1.14 GB resident before it was refused as too long a label).
//
// Not thread-safe; one per import.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace frameserve::import {

// The longest line accepted, in bytes (without its '\n'). A detection's own
// fields need a few hundred bytes: a 200-byte label, an identity name, a
// uuid and numbers. A tracker may add members of its own, which are read
// and ignored; 64 KiB leaves an "extra" of reasonable size room while
// keeping what a single line can make us hold small.
constexpr size_t k_max_line_bytes = 64 * 1024;

class LineSplitter {
 public:
  // Gets one line (without '\n') and its 1-based number.
  using LineHandler = std::function<Status(std::string_view line, int64_t number)>;

  explicit LineSplitter(size_t max_line_bytes = k_max_line_bytes) : m_max_line_bytes(max_line_bytes) {}

  // Hands every line completed by `chunk` to `on_line`. Errors: the first
  // error of `on_line`; `invalid_argument` ("bad_detection", "line N:
  // longer than ...") as soon as a line passes the bound, also before its
  // end has arrived. After an error the splitter must not be fed again.
  Status feed(std::string_view chunk, const LineHandler& on_line);
  // Hands over the last line when the input did not end with '\n'. Errors
  // as feed().
  Status finish(const LineHandler& on_line);
  // Lines handed over so far.
  int64_t lines() const { return m_line_number; }

 private:
  Status take(std::string_view line, const LineHandler& on_line);
  Error too_long() const;

  size_t m_max_line_bytes;
  std::string m_partial;  // the unfinished last line of the chunks so far
  int64_t m_line_number = 0;
};

}  // namespace frameserve::import
