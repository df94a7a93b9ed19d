// DetectionValidator: checks parsed detections against the video and against
// each other, and collects them compactly for loading.
//
// Rules (each failure names the line and what would be valid):
//  - frame_number within [0, frame_count)
//  - the box inside the picture: x, y >= 0, width, height > 0,
//    x + width <= video width, y + height <= video height
//  - confidence within [0, 1]
//  - one detection per (trace_id, frame_number)
//  - a trace keeps one label and one identity across lines
//  - an identity keeps one name across lines
//  - labels and identity names are text PostgreSQL can store: UTF-8
//    without NUL (anything else failed in COPY as a 500)
//
// Not thread-safe; one per import.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/detection_writer.hpp"
#include "import/detection_record.hpp"

namespace frameserve::import {

struct VideoBounds {
  int64_t width = 0;
  int64_t height = 0;
  int64_t frame_count = 0;
};

struct TraceInfo {
  std::string label;
  std::string identity_uuid;  // empty: no identity
  int64_t first_line = 0;
};

class DetectionValidator {
 public:
  // `written_frame_base`: for MOT files, the number the file gives the
  // video's first frame (1 or 0); errors then name a frame as written and
  // as the zero-based frame_number it was converted to.
  DetectionValidator(VideoBounds bounds, std::string default_label,
                     std::optional<int> written_frame_base = std::nullopt)
      : m_bounds(bounds), m_default_label(std::move(default_label)), m_written_frame_base(written_frame_base) {}

  // Errors: `invalid_argument` ("bad_detection") with "line N: ..." messages.
  Status add(const DetectionRecord& record);
  // Checks what needs every line (duplicates) and sorts detections by
  // (frame_number, trace_id), the order they are stored in. Call once,
  // after the last add().
  Status finish();

  const std::vector<db::NewDetection>& detections() const { return m_detections; }
  const std::map<int64_t, TraceInfo>& traces() const { return m_traces; }
  const std::map<std::string, std::string>& identities() const { return m_identities; }

 private:
  // "frame_number 900", or for MOT "frame 901 (frame_number 900 zero-based)".
  std::string frame_text(int64_t frame_number) const;

  VideoBounds m_bounds;
  std::string m_default_label;
  std::optional<int> m_written_frame_base;
  std::vector<db::NewDetection> m_detections;
  std::map<int64_t, TraceInfo> m_traces;
  std::map<std::string, std::string> m_identities;  // uuid -> name ("" if never named)
};

}  // namespace frameserve::import
