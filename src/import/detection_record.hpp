// DetectionRecord: one detection as read from an import file, before it is
// checked against the video and stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace frameserve::import {

struct DetectionRecord {
  int64_t frame_number = 0;  // zero-based
  int64_t trace_id = 0;
  int64_t x = 0;
  int64_t y = 0;
  int64_t width = 0;
  int64_t height = 0;
  double confidence = 0;
  std::optional<std::string> label;
  std::optional<std::string> identity_uuid;  // lowercase canonical form
  std::optional<std::string> identity_name;
  int64_t line = 0;  // 1-based line in the import file, for errors
};

}  // namespace frameserve::import
