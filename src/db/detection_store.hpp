// DetectionStore: reading traces and detections.
//
// Every read is bounded: a window of frames, one trace, or a top-N — never
// all of a film's detections at once. Thread-safe (stateless over Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "db/database.hpp"

namespace frameserve::db {

struct BoxDetection {
  int64_t frame_number = 0;
  int64_t trace_id = 0;
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  double confidence = 0;
};

struct TraceLabel {
  std::string label;
  std::string identity_uuid;  // empty: no identity
  std::string identity_name;
};

struct TraceSummary {
  TraceLabel label;
  int64_t detection_count = 0;
  int64_t first_frame = 0;
  int64_t last_frame = 0;
};

class DetectionStore {
 public:
  explicit DetectionStore(Database& database) : m_database(database) {}

  // Detections with first <= frame_number <= last, by frame then trace.
  Result<std::vector<BoxDetection>> in_frames(const std::string& file_uuid, int64_t first, int64_t last);

  // Every detection of a trace, by frame (one trace: bounded by its length).
  Result<std::vector<BoxDetection>> trace_detections(const std::string& file_uuid, int64_t trace_id);
  // Every detection of an identity's traces in a file, by frame then trace.
  Result<std::vector<BoxDetection>> identity_detections(const std::string& file_uuid, const std::string& identity_uuid);

  // Labels of every trace of a file (a film has thousands, not millions).
  Result<std::unordered_map<int64_t, TraceLabel>> trace_labels(const std::string& file_uuid);

  // Errors: `not_found` ("trace_not_found").
  Result<TraceSummary> trace_summary(const std::string& file_uuid, int64_t trace_id);

 private:
  Database& m_database;
};

BoxDetection box_detection_from_row(const PgResult& r, int row);

// Identities are shared by every file, so renaming one renames it wherever
// it appears. In an import's transaction, after its identities were staged
// (import_identities) and before they are merged: refuses the import when it
// renames an identity that also appears in a file outside `writable_files`
// (the files the caller may write; nullopt: every file, which may rename
// anything). Giving an identity its stored name, or no name, is no rename.
// Errors: `forbidden` ("file_not_covered", naming the identity), database errors.
Status check_identity_renames(Session& session, const std::optional<std::vector<std::string>>& writable_files);

}  // namespace frameserve::db
