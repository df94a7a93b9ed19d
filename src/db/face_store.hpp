// FaceStore: the queries behind face selection and co-occurrence, and the
// memo of selections already made. Thread-safe (stateless over Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/database.hpp"
#include "db/detection_store.hpp"

namespace frameserve::db {

// Consecutive frames [first, last] on which an identity appears.
struct FrameRun {
  int64_t first = 0;
  int64_t last = 0;
};

class FaceStore {
 public:
  explicit FaceStore(Database& database) : m_database(database) {}

  // Top `limit` detections of a trace by area x confidence, ties by frame.
  Result<std::vector<BoxDetection>> trace_candidates(const std::string& file_uuid, int64_t trace_id, int limit);
  // Top `limit` detections of identity `who` on frames where `with` also appears.
  Result<std::vector<BoxDetection>> cooccurring_candidates(const std::string& file_uuid, const std::string& who,
                                                           const std::string& with, int limit);

  // nullopt when the identity does not exist.
  Result<std::optional<std::string>> identity_name(const std::string& identity_uuid);
  Result<bool> identity_in_file(const std::string& file_uuid, const std::string& identity_uuid);
  // The frames on which the identity appears, as ordered runs: read from
  // the memo when it holds `revision`, else computed from the detections and
  // memoised (a failed memo write is logged, not returned). Empty when the
  // identity has no detections in the file.
  Result<std::vector<FrameRun>> identity_frame_runs(const std::string& file_uuid, const std::string& identity_uuid,
                                                    int64_t revision);
  // identity_uuid -> its lowest trace_id on `frame`.
  Result<std::vector<std::pair<std::string, int64_t>>> identity_traces_on_frame(const std::string& file_uuid,
                                                                                int64_t frame, const std::string& a,
                                                                                const std::string& b);

  // The memo: a stored selection, valid only for the given detections revision.
  Result<std::optional<std::string>> memo_get(const std::string& file_uuid, const std::string& key, int64_t revision);
  Status memo_put(const std::string& file_uuid, const std::string& key, int64_t revision, const std::string& value);

 private:
  Database& m_database;
};

}  // namespace frameserve::db
