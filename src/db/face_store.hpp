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

struct CooccurrenceCount {
  std::optional<int64_t> first_frame;  // nullopt: never together
  int64_t frames = 0;
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
  Result<CooccurrenceCount> cooccurrence(const std::string& file_uuid, const std::string& a, const std::string& b);
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
