#include "db/face_store.hpp"

#include <string_view>

#include "common/log.hpp"
#include "common/text.hpp"
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

namespace {
// "{1,5,9,12}" -> runs [1,5], [9,12]; nullopt when the text is not such a
// list (a memo row written by something else is recomputed, not trusted).
std::optional<std::vector<FrameRun>> parse_runs(std::string_view text) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::vector<int64_t> numbers;
  for (std::string_view item : split(text.substr(1, text.size() - 2), ',')) {
    if (item.empty()) continue;
    auto number = parse_int64(item);
    if (!number) return std::nullopt;
    numbers.push_back(*number);
  }
  if (numbers.size() % 2 != 0) return std::nullopt;
  std::vector<FrameRun> runs;
  for (size_t i = 0; i < numbers.size(); i += 2) runs.push_back(FrameRun{numbers[i], numbers[i + 1]});
  return runs;
}

std::string format_runs(const std::vector<FrameRun>& runs) {
  std::string text = "{";
  for (const FrameRun& run : runs) {
    if (text.size() > 1) text += ',';
    text += std::to_string(run.first) + ',' + std::to_string(run.last);
  }
  return text + "}";
}
}  // namespace

Result<std::vector<FrameRun>> FaceStore::identity_frame_runs(const std::string& file_uuid,
                                                             const std::string& identity_uuid, int64_t revision) {
  auto stored = m_database.query(sql::k_select_identity_frame_runs, {file_uuid, identity_uuid, revision});
  if (!stored) return stored.error();
  if (stored->rows() == 1) {
    if (auto runs = parse_runs(stored->text(0, 0))) return std::move(*runs);
  }
  auto computed = m_database.query(sql::k_compute_identity_frame_runs, {file_uuid, identity_uuid});
  if (!computed) return computed.error();
  std::vector<FrameRun> runs;
  runs.reserve(static_cast<size_t>(computed->rows()));
  for (int i = 0; i < computed->rows(); ++i) runs.push_back(FrameRun{computed->int64(i, 0), computed->int64(i, 1)});
  auto saved =
      m_database.query(sql::k_upsert_identity_frame_runs, {file_uuid, identity_uuid, revision, format_runs(runs)});
  if (!saved) log::warn("could not memoize the frame runs of identity " + identity_uuid + ": " + saved.error().message);
  return runs;
}

Result<std::vector<std::pair<std::string, int64_t>>> FaceStore::identity_traces_on_frame(const std::string& file_uuid,
                                                                                         int64_t frame,
                                                                                         const std::string& a,
                                                                                         const std::string& b) {
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
