#include "db/face_store.hpp"

#include "db/queries.hpp"

namespace frameserve::db {

namespace {
std::vector<BoxDetection> rows_to_detections(const PgResult& r) {
  std::vector<BoxDetection> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(box_detection_from_row(r, i));
  return out;
}
}  // namespace

Result<std::vector<BoxDetection>> FaceStore::trace_candidates(const std::string& file_uuid, int64_t trace_id,
                                                              int limit) {
  auto r = m_database.query(sql::k_trace_face_candidates, {file_uuid, trace_id, limit});
  if (!r) return r.error();
  return rows_to_detections(r.value());
}

Result<std::vector<BoxDetection>> FaceStore::cooccurring_candidates(const std::string& file_uuid,
                                                                    const std::string& who, const std::string& with,
                                                                    int limit) {
  auto r = m_database.query(sql::k_cooccurring_face_candidates, {file_uuid, who, with, limit});
  if (!r) return r.error();
  return rows_to_detections(r.value());
}

Result<std::optional<std::string>> FaceStore::identity_name(const std::string& identity_uuid) {
  auto r = m_database.query(sql::k_identity_name, {identity_uuid});
  if (!r) return r.error();
  if (r->rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(r->string(0, 0));
}

Result<bool> FaceStore::identity_in_file(const std::string& file_uuid, const std::string& identity_uuid) {
  auto r = m_database.query(sql::k_identity_in_file, {file_uuid, identity_uuid});
  if (!r) return r.error();
  return r->boolean(0, 0);
}

Result<CooccurrenceCount> FaceStore::cooccurrence(const std::string& file_uuid, const std::string& a,
                                                  const std::string& b) {
  auto r = m_database.query(sql::k_cooccurrence, {file_uuid, a, b});
  if (!r) return r.error();
  return CooccurrenceCount{r->optional_int64(0, 0), r->int64(0, 1)};
}

Result<std::vector<std::pair<std::string, int64_t>>> FaceStore::identity_traces_on_frame(
    const std::string& file_uuid, int64_t frame, const std::string& a, const std::string& b) {
  auto r = m_database.query(sql::k_identity_traces_on_frame, {file_uuid, frame, a, b});
  if (!r) return r.error();
  std::vector<std::pair<std::string, int64_t>> out;
  for (int i = 0; i < r->rows(); ++i) out.emplace_back(r->string(i, 0), r->int64(i, 1));
  return out;
}

Result<std::optional<std::string>> FaceStore::memo_get(const std::string& file_uuid, const std::string& key,
                                                       int64_t revision) {
  auto r = m_database.query(sql::k_select_face_selection, {file_uuid, key, revision});
  if (!r) return r.error();
  if (r->rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(r->string(0, 0));
}

Status FaceStore::memo_put(const std::string& file_uuid, const std::string& key, int64_t revision,
                           const std::string& value) {
  auto r = m_database.query(sql::k_upsert_face_selection, {file_uuid, key, revision, value});
  if (!r) return r.error();
  return Status();
}

}  // namespace frameserve::db
