#include "import/detection_importer.hpp"

#include <map>
#include <vector>

#include "db/detection_writer.hpp"
#include "import/detection_validator.hpp"

namespace frameserve::import {

namespace {

// The trace rows to store, with the figures each keeps (migration 003),
// from the detections sorted by frame (DetectionValidator::finish): a
// trace's first row holds its first frame and its last row its last.
std::vector<db::NewTrace> new_traces(const std::map<int64_t, TraceInfo>& traces,
                                     const std::vector<db::NewDetection>& by_frame) {
  std::map<int64_t, db::NewTrace> rows;
  for (const auto& [id, info] : traces) rows[id] = db::NewTrace{id, info.label, info.identity_uuid, 0, 0, 0};
  for (const db::NewDetection& d : by_frame) {
    db::NewTrace& t = rows[d.trace_id];
    if (t.detection_count == 0) t.first_frame = d.frame_number;
    t.last_frame = d.frame_number;
    ++t.detection_count;
  }
  std::vector<db::NewTrace> out;
  out.reserve(rows.size());
  for (auto& [id, row] : rows) out.push_back(std::move(row));
  return out;
}

}  // namespace

DetectionImport::DetectionImport(const db::FileRow& file, ImportOptions options)
    : m_file(file),
      m_options(std::move(options)),
      m_validator(std::make_unique<DetectionValidator>(
          VideoBounds{m_file.info.width, m_file.info.height, m_file.info.frame_count}, m_options.default_label,
          m_options.format == ImportFormat::mot ? std::optional<int>(m_options.frame_base) : std::nullopt)) {}

DetectionImport::~DetectionImport() = default;

Status DetectionImport::take_line(std::string_view line, int64_t number) {
  auto parsed =
      m_options.format == ImportFormat::jsonl ? parse_jsonl_line(line) : parse_mot_line(line, m_options.frame_base);
  if (!parsed) {
    Error e = parsed.error();
    e.message = "line " + std::to_string(number) + ": " + e.message;
    return e;
  }
  if (!parsed.value()) return Status();
  DetectionRecord& record = *parsed.value();
  record.line = number;
  if (Status s = m_validator->add(record); !s) return s.error();
  if (m_options.progress && number % 20000 == 0) m_options.progress("parse", "lines", number, 0);
  return Status();
}

Status DetectionImport::feed(std::string_view chunk) {
  if (m_failed) return *m_failed;
  Status fed =
      m_splitter.feed(chunk, [this](std::string_view line, int64_t number) { return take_line(line, number); });
  if (!fed) m_failed = fed.error();
  return fed;
}

Result<ImportSummary> import_detections(db::Database& database, const db::FileRow& file, std::istream& input,
                                        const ImportOptions& options) {
  DetectionImport import(file, options);
  std::string buffer(1 << 16, '\0');
  while (input) {
    input.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::streamsize got = input.gcount();
    if (got <= 0) break;
    if (Status fed = import.feed(std::string_view(buffer.data(), static_cast<size_t>(got))); !fed) {
      return fed.error();
    }
  }
  if (input.bad()) return invalid_argument("read_failed", "reading the import file failed");
  return import.finish(database);
}

Result<ImportSummary> DetectionImport::finish(db::Database& database) {
  if (m_failed) return *m_failed;
  // The last line may lack its newline (as std::getline reads it).
  Status last = m_splitter.finish([this](std::string_view line, int64_t number) { return take_line(line, number); });
  if (!last) {
    m_failed = last.error();
    return last.error();
  }
  if (Status s = m_validator->finish(); !s) return s.error();
  if (m_validator->detections().empty()) {
    return invalid_argument("no_detections", "the import file holds no detections");
  }
  const DetectionValidator& v = *m_validator;
  ImportSummary summary;
  summary.detections = static_cast<int64_t>(v.detections().size());
  summary.traces = static_cast<int64_t>(v.traces().size());
  summary.identities = static_cast<int64_t>(v.identities().size());

  db::DetectionWrite how;
  how.replace = m_options.replace;
  how.writable_files = m_options.writable_files;
  if (m_options.progress) {
    how.progress = [this](int64_t done, int64_t total) { m_options.progress("store", "detections", done, total); };
  }
  auto revision = db::DetectionWriter(database).write(m_file.file_uuid, v.identities(),
                                                      new_traces(v.traces(), v.detections()), v.detections(), how);
  if (!revision) return revision.error();
  summary.detections_revision = revision.value();
  return summary;
}

}  // namespace frameserve::import
