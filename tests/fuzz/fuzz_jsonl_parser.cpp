// libFuzzer harness for the JSONL import parser (import::parse_jsonl_line).
// The input is split into lines as the importer splits a file (with its
// line bound; import_fuzz_input.hpp also grows short patterns into deep
// nesting and long lines); every line must parse into a record or fail
// with an invalid_argument message, and no nesting may overflow the stack.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "import/detection_parser.hpp"
#include "import_fuzz_input.hpp"

namespace {
void check_line(std::string_view line) {
  auto record = frameserve::import::parse_jsonl_line(line);
  if (!record) {
    if (record.error().kind != frameserve::ErrorKind::invalid_argument || record.error().message.empty()) {
      std::abort();
    }
  } else if (record.value()) {
    const auto& r = *record.value();
    if (r.frame_number < 0 || r.trace_id < 0) std::abort();
    if (r.identity_name && !r.identity_uuid) std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = frameserve::fuzz::import_bytes(data, size);
  frameserve::fuzz::split_lines(text, check_line);
  // The parser on its own sees lines past the line bound too: its nesting
  // bound must hold without the splitter's help.
  check_line(std::string_view(text).substr(0, text.find('\n')));
  return 0;
}
