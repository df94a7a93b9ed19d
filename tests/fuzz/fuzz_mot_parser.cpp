// libFuzzer harness for the MOTChallenge CSV import parser (import::parse_mot_line).
// The input is split into lines as the importer splits a file (with its
// line bound; import_fuzz_input.hpp also grows short patterns into long
// lines); every line must parse into a record or fail with an
// invalid_argument message.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "import/detection_parser.hpp"
#include "import_fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = frameserve::fuzz::import_bytes(data, size);
  frameserve::fuzz::split_lines(text, [](std::string_view line) {
    auto record = frameserve::import::parse_mot_line(line);
    if (!record) {
      if (record.error().kind != frameserve::ErrorKind::invalid_argument || record.error().message.empty()) {
        std::abort();
      }
    } else if (record.value()) {
      const auto& r = *record.value();
      if (r.frame_number < 0 || r.trace_id < 0) std::abort();
    }
  });
  return 0;
}
