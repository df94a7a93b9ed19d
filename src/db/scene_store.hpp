// SceneStore: the two reads behind an identity's scenes that FaceStore does
// not already make — its traces' spans, and whether a trace has detections
// within a frame range. Thread-safe (stateless over Database).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/database.hpp"

namespace frameserve::db {

struct TraceSpanRow {
  int64_t trace_id = 0;
  int64_t first_frame = 0;
  int64_t last_frame = 0;
};

// One question for traces_with_detections_in: does `trace_id` have a
// detection on a frame in [first, last]?
struct TraceRangeProbe {
  int64_t trace_id = 0;
  int64_t first = 0;
  int64_t last = 0;
};

class SceneStore {
 public:
  explicit SceneStore(Database& database) : m_database(database) {}

  // The span of every trace with detections of the given identities (lowercase
  // uuids) in the file, by trace_id. Errors: `unavailable`.
  Result<std::vector<TraceSpanRow>> identity_trace_spans(const std::string& file_uuid,
                                                         const std::vector<std::string>& identity_uuids);

  // The indices (ascending) of the probes whose trace has a detection in
  // their range; one statement however many probes. Errors: `unavailable`.
  Result<std::vector<size_t>> traces_with_detections_in(const std::string& file_uuid,
                                                        const std::vector<TraceRangeProbe>& probes);

 private:
  Database& m_database;
};

}  // namespace frameserve::db
