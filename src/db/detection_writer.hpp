// DetectionWriter: stores one import's traces, detections and identity
// names for a file in one transaction (COPY), after checking what the
// stored rows allow: the file exists, its traces are not already there
// (unless replacing), identity renames stay within the caller's files.
// Parsing and validating the input is import::DetectionImport's.
//
// Thread-safe (stateless over Database); one transaction per write().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/database.hpp"

namespace frameserve::db {

// The error code of an import whose traces the file already has (kind
// `conflict`); its message names the file and the first such trace.
inline constexpr const char* k_traces_exist = "traces_exist";

// One detection to store. 48 bytes: a film's million fit in memory easily.
struct NewDetection {
  int64_t trace_id;
  int32_t frame_number;
  int32_t x;
  int32_t y;
  int32_t width;
  int32_t height;
  double confidence;
  int64_t line;  // where the importer read it (its messages); not stored
};

// One trace to store, with the figures its row keeps (migration 003).
struct NewTrace {
  int64_t trace_id = 0;
  std::string label;
  std::string identity_uuid;  // empty: no identity
  int64_t detection_count = 0;
  int64_t first_frame = 0;
  int64_t last_frame = 0;
};

struct DetectionWrite {
  // Delete every trace and detection the file has first.
  bool replace = false;
  // The files the caller may write (identity renames); nullopt: every file.
  std::optional<std::vector<std::string>> writable_files;
  // Called now and then with detections copied of all.
  std::function<void(int64_t done, int64_t total)> progress;
};

class DetectionWriter {
 public:
  explicit DetectionWriter(Database& database) : m_database(database) {}

  // Stores `traces` (sorted by trace_id), `detections` (sorted by
  // frame_number, trace_id) and `identities` (uuid -> name, "" when
  // unnamed) for the file; returns its new detections_revision. Nothing is
  // stored on error. Errors: `not_found` ("file_not_found"), `conflict`
  // (k_traces_exist, without `replace`), `forbidden` ("file_not_covered":
  // a rename of an identity another file shares), `unavailable`.
  Result<int64_t> write(const std::string& file_uuid, const std::map<std::string, std::string>& identities,
                        const std::vector<NewTrace>& traces, const std::vector<NewDetection>& detections,
                        const DetectionWrite& how);

 private:
  Database& m_database;
};

}  // namespace frameserve::db
