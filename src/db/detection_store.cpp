#include "db/detection_store.hpp"

#include "db/queries.hpp"

namespace frameserve::db {

BoxDetection box_detection_from_row(const PgResult& r, int row) {
  BoxDetection d;
  d.frame_number = r.int64(row, 0);
  d.trace_id = r.int64(row, 1);
  d.x = static_cast<int>(r.int64(row, 2));
  d.y = static_cast<int>(r.int64(row, 3));
  d.width = static_cast<int>(r.int64(row, 4));
  d.height = static_cast<int>(r.int64(row, 5));
  d.confidence = r.float64(row, 6);
  return d;
}

Result<std::vector<BoxDetection>> DetectionStore::in_frames(const std::string& file_uuid, int64_t first, int64_t last) {
  auto r = m_database.query(sql::k_detections_in_frames, {file_uuid, first, last});
  if (!r) return r.error();
  std::vector<BoxDetection> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) out.push_back(box_detection_from_row(r.value(), i));
  return out;
}

namespace {
Result<std::vector<BoxDetection>> detections_of(Database& database, const char* query, const std::string& file_uuid,
                                                const PgParam& key) {
  auto r = database.query(query, {file_uuid, key});
  if (!r) return r.error();
  std::vector<BoxDetection> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) out.push_back(box_detection_from_row(r.value(), i));
  return out;
}
}  // namespace

Result<std::vector<BoxDetection>> DetectionStore::trace_detections(const std::string& file_uuid, int64_t trace_id) {
  return detections_of(m_database, sql::k_trace_detections, file_uuid, trace_id);
}

Result<std::vector<BoxDetection>> DetectionStore::identity_detections(const std::string& file_uuid,
                                                                      const std::string& identity_uuid) {
  return detections_of(m_database, sql::k_identity_detections, file_uuid, identity_uuid);
}

Result<std::unordered_map<int64_t, TraceLabel>> DetectionStore::trace_labels(const std::string& file_uuid) {
  auto r = m_database.query(sql::k_file_traces, {file_uuid});
  if (!r) return r.error();
  std::unordered_map<int64_t, TraceLabel> labels;
  for (int i = 0; i < r->rows(); ++i) {
    labels.emplace(r->int64(i, 0), TraceLabel{r->string(i, 1), r->string(i, 2), r->string(i, 3)});
  }
  return labels;
}

Result<TraceSummary> DetectionStore::trace_summary(const std::string& file_uuid, int64_t trace_id) {
  auto r = m_database.query(sql::k_trace_summary, {file_uuid, trace_id});
  if (!r) return r.error();
  if (r->rows() == 0) {
    return not_found("trace_not_found", "file " + file_uuid + " has no trace " + std::to_string(trace_id));
  }
  TraceSummary s;
  s.label = TraceLabel{r->string(0, 0), r->string(0, 1), r->string(0, 2)};
  s.detection_count = r->int64(0, 3);
  s.first_frame = r->int64(0, 4);
  s.last_frame = r->int64(0, 5);
  return s;
}

Status check_identity_renames(Session& session, const std::optional<std::vector<std::string>>& writable_files) {
  if (!writable_files) return Status();
  auto renamed = session.exec(sql::k_lock_renamed_identities);
  if (!renamed) return renamed.error();
  if (renamed->rows() == 0) return Status();
  std::vector<std::string> identities;
  for (int row = 0; row < renamed->rows(); ++row) identities.push_back(renamed->string(row, 0));
  auto outside = session.exec(sql::k_identity_outside_files, {uuid_array(identities), uuid_array(*writable_files)});
  if (!outside) return outside.error();
  if (outside->rows() == 0) return Status();
  // The other files are not named: the caller may not know they exist.
  return make_error(ErrorKind::forbidden, "file_not_covered",
                    "identity " + outside->string(0, 0) +
                        " also appears in files these credentials may not write, so they may not rename it (an "
                        "identity's name is shared by every file it appears in); give it its current name or "
                        "no identity_name, or import with write credentials for every file it appears in; nothing "
                        "was imported");
}

}  // namespace frameserve::db
