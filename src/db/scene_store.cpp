#include "db/scene_store.hpp"

#include "db/queries.hpp"

namespace frameserve::db {

namespace {
// A PostgreSQL array literal of already-safe tokens (numbers, uuids).
template <typename T, typename Format>
std::string array_literal(const std::vector<T>& items, Format format) {
  std::string text = "{";
  for (const T& item : items) {
    if (text.size() > 1) text += ',';
    text += format(item);
  }
  return text + "}";
}
}  // namespace

Result<std::vector<TraceSpanRow>> SceneStore::identity_trace_spans(const std::string& file_uuid,
                                                                   const std::vector<std::string>& identity_uuids) {
  auto r = m_database.query(sql::k_identity_trace_spans,
                            {file_uuid, array_literal(identity_uuids, [](const std::string& u) { return u; })});
  if (!r) return r.error();
  std::vector<TraceSpanRow> spans;
  spans.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) spans.push_back(TraceSpanRow{r->int64(i, 0), r->int64(i, 1), r->int64(i, 2)});
  return spans;
}

Result<std::vector<size_t>> SceneStore::traces_with_detections_in(const std::string& file_uuid,
                                                                  const std::vector<TraceRangeProbe>& probes) {
  std::vector<size_t> found;
  if (probes.empty()) return found;
  std::vector<size_t> indices(probes.size());
  for (size_t i = 0; i < probes.size(); ++i) indices[i] = i;
  auto r = m_database.query(sql::k_traces_with_detections_in,
                            {file_uuid, array_literal(indices, [](size_t i) { return std::to_string(i); }),
                             array_literal(probes, [](const TraceRangeProbe& p) { return std::to_string(p.trace_id); }),
                             array_literal(probes, [](const TraceRangeProbe& p) { return std::to_string(p.first); }),
                             array_literal(probes, [](const TraceRangeProbe& p) { return std::to_string(p.last); })});
  if (!r) return r.error();
  found.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) found.push_back(static_cast<size_t>(r->int64(i, 0)));
  return found;
}

}  // namespace frameserve::db
