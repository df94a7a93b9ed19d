// libFuzzer harness for the JSONL import parser (import::parse_jsonl_line).
// The input is split into lines as the importer splits a file; every line
// must parse into a record or fail with an invalid_argument message.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "import/detection_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (true) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
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
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return 0;
}
