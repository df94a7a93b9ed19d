#include "import/detection_validator.hpp"

#include <algorithm>
#include <cstdint>

#include "common/text.hpp"

namespace frameserve::import {

namespace {
Error at_line(int64_t line, const std::string& message) {
  return invalid_argument("bad_detection", "line " + std::to_string(line) + ": " + message);
}

// True for text PostgreSQL can store in a text column: valid UTF-8 (the
// database's encoding) without NUL, which text cannot hold at all.
bool storable_text(std::string_view text) { return text.find('\0') == std::string_view::npos && is_valid_utf8(text); }

constexpr const char* k_storable_rule = " is not text we can store: it must be UTF-8 without NUL (U+0000)";
}  // namespace

std::string DetectionValidator::frame_text(int64_t frame_number) const {
  if (!m_written_frame_base) return "frame_number " + std::to_string(frame_number);
  return "frame " + std::to_string(frame_number + *m_written_frame_base) + " (frame_number " +
         std::to_string(frame_number) + " zero-based)";
}

Status DetectionValidator::add(const DetectionRecord& r) {
  const VideoBounds& b = m_bounds;
  if (r.frame_number < 0 || r.frame_number >= b.frame_count) {
    const int64_t base = m_written_frame_base.value_or(0);
    return at_line(r.line, frame_text(r.frame_number) +
                               " is outside the video (valid: " + (m_written_frame_base ? "frames " : "") +
                               std::to_string(base) + " to " + std::to_string(b.frame_count - 1 + base) + ")");
  }
  if (r.width <= 0 || r.height <= 0) {
    return at_line(r.line, "bbox width and height must be > 0 (got " + std::to_string(r.width) + "x" +
                               std::to_string(r.height) + ")");
  }
  if (r.x < 0 || r.y < 0) {
    return at_line(r.line,
                   "bbox x and y must be >= 0 (got x=" + std::to_string(r.x) + ", y=" + std::to_string(r.y) + ")");
  }
  if (r.x + r.width > b.width) {
    return at_line(r.line, "bbox x=" + std::to_string(r.x) + " width=" + std::to_string(r.width) +
                               " extends past the picture (x + width must be <= " + std::to_string(b.width) + ")");
  }
  if (r.y + r.height > b.height) {
    return at_line(r.line, "bbox y=" + std::to_string(r.y) + " height=" + std::to_string(r.height) +
                               " extends past the picture (y + height must be <= " + std::to_string(b.height) + ")");
  }
  if (!(r.confidence >= 0.0 && r.confidence <= 1.0)) {
    return at_line(r.line, "confidence " + format_fixed(r.confidence, 3) + " is outside [0, 1]");
  }
  if (r.trace_id > INT64_MAX / 2) return at_line(r.line, "trace_id is too large");

  std::string label = r.label.value_or(m_default_label);
  if (!storable_text(label)) {
    return at_line(r.line, "label " + quote_for_message(label) +
                               (r.label ? "" : " (the default label, from ?label= or --label, for lines without one)") +
                               k_storable_rule);
  }
  if (label.empty() || label.size() > 200) return at_line(r.line, "label must be 1 to 200 bytes");
  if (r.identity_name && !storable_text(*r.identity_name)) {
    return at_line(r.line, "identity_name " + quote_for_message(*r.identity_name) + k_storable_rule);
  }
  std::string identity = r.identity_uuid.value_or("");

  auto [trace, inserted] = m_traces.try_emplace(r.trace_id, TraceInfo{label, identity, r.line});
  if (!inserted) {
    if (trace->second.label != label && r.label) {
      return at_line(r.line, "trace " + std::to_string(r.trace_id) + " has label " + quote_for_message(label) +
                                 " but line " + std::to_string(trace->second.first_line) + " gave it " +
                                 quote_for_message(trace->second.label));
    }
    if (!identity.empty() && trace->second.identity_uuid.empty()) {
      trace->second.identity_uuid = identity;
    } else if (!identity.empty() && trace->second.identity_uuid != identity) {
      return at_line(r.line, "trace " + std::to_string(r.trace_id) + " belongs to identity " +
                                 trace->second.identity_uuid + " (line " + std::to_string(trace->second.first_line) +
                                 "), not " + identity);
    }
  }
  if (!identity.empty()) {
    auto [it, fresh] = m_identities.try_emplace(identity, r.identity_name.value_or(""));
    if (!fresh && r.identity_name) {
      if (it->second.empty()) {
        it->second = *r.identity_name;
      } else if (it->second != *r.identity_name) {
        return at_line(r.line, "identity " + identity + " is named " + quote_for_message(*r.identity_name) +
                                   " here but " + quote_for_message(it->second) + " earlier");
      }
    }
  }
  m_detections.push_back(db::NewDetection{r.trace_id, static_cast<int32_t>(r.frame_number), static_cast<int32_t>(r.x),
                                          static_cast<int32_t>(r.y), static_cast<int32_t>(r.width),
                                          static_cast<int32_t>(r.height), r.confidence, r.line});
  return Status();
}

Status DetectionValidator::finish() {
  // Frame-major order is the order of the table's primary key (file,
  // frame, trace; migration 007) and of the identity index's frames, so each
  // stored row lands beside the one stored before it. A duplicate
  // (trace, frame) stays adjacent.
  std::sort(m_detections.begin(), m_detections.end(), [](const db::NewDetection& a, const db::NewDetection& b) {
    if (a.frame_number != b.frame_number) return a.frame_number < b.frame_number;
    if (a.trace_id != b.trace_id) return a.trace_id < b.trace_id;
    return a.line < b.line;
  });
  for (size_t i = 1; i < m_detections.size(); ++i) {
    const db::NewDetection& a = m_detections[i - 1];
    const db::NewDetection& b = m_detections[i];
    if (a.trace_id == b.trace_id && a.frame_number == b.frame_number) {
      return at_line(
          b.line, "trace " + std::to_string(b.trace_id) + " already has a detection on " +
                      (m_written_frame_base ? frame_text(b.frame_number) : "frame " + std::to_string(b.frame_number)) +
                      " (line " + std::to_string(a.line) + ")");
    }
  }
  return Status();
}

}  // namespace frameserve::import
