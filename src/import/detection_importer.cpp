#include "import/detection_importer.hpp"

#include <charconv>
#include <unordered_map>

#include "common/text.hpp"
#include "db/copy_binary.hpp"
#include "db/detection_store.hpp"
#include "db/queries.hpp"
#include "import/detection_validator.hpp"

namespace frameserve::import {

namespace {

// COPY text format: backslash escapes for the characters that delimit it.
void append_copy_text(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out.push_back(c);
    }
  }
}

template <typename T>
void append_number(std::string& out, T value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, static_cast<size_t>(end - buffer));
}

std::string trace_id_array(const std::map<int64_t, TraceInfo>& traces) {
  std::string out = "{";
  for (const auto& [id, info] : traces) {
    if (out.size() > 1) out.push_back(',');
    out += std::to_string(id);
  }
  out.push_back('}');
  return out;
}

// The figures a trace row stores (migration 003), from the detections
// sorted by frame (DetectionValidator::finish): a trace's first row holds its
// first frame and its last row its last.
struct TraceFigures {
  int64_t count = 0;
  int64_t first_frame = 0;
  int64_t last_frame = 0;
};
std::map<int64_t, TraceFigures> trace_figures(const std::vector<CompactDetection>& by_frame) {
  std::map<int64_t, TraceFigures> figures;
  for (const CompactDetection& d : by_frame) {
    TraceFigures& f = figures[d.trace_id];
    if (f.count == 0) f.first_frame = d.frame_number;
    f.last_frame = d.frame_number;
    ++f.count;
  }
  return figures;
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
  auto parsed = m_options.format == ImportFormat::jsonl ? parse_jsonl_line(line) : parse_mot_line(line, m_options.frame_base);
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
  Status fed = m_splitter.feed(chunk, [this](std::string_view line, int64_t number) { return take_line(line, number); });
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
  const db::FileRow& file = m_file;
  const ImportOptions& options = m_options;
  const std::string& uuid = file.file_uuid;
  ImportSummary summary;
  summary.detections = static_cast<int64_t>(v.detections().size());
  summary.traces = static_cast<int64_t>(v.traces().size());
  summary.identities = static_cast<int64_t>(v.identities().size());

  Status stored = database.transaction([&](db::Session& s) -> Status {
    auto locked = s.exec(db::sql::k_lock_file_for_import, {uuid});
    if (!locked) return locked.error();
    if (locked->rows() == 0) return db::file_not_found(uuid);

    if (options.replace) {
      if (auto r = s.exec(db::sql::k_delete_file_traces, {uuid}); !r) return r.error();
    } else {
      auto existing = s.exec(db::sql::k_existing_traces, {uuid, trace_id_array(v.traces())});
      if (!existing) return existing.error();
      if (existing->rows() > 0) {
        return make_error(ErrorKind::conflict, "traces_exist",
                          "file " + uuid + " already has trace " + existing->string(0, 0) +
                              "; use --replace to replace the file's detections");
      }
    }

    if (!v.identities().empty()) {
      if (auto r = s.exec(db::sql::k_create_identity_staging); !r) return r.error();
      auto it = v.identities().begin();
      Status copied = s.copy_in(db::sql::k_copy_identity_staging, [&](std::string& out) -> Result<bool> {
        for (int n = 0; n < 1000 && it != v.identities().end(); ++n, ++it) {
          out += it->first;
          out.push_back('\t');
          append_copy_text(out, it->second);
          out.push_back('\n');
        }
        return it != v.identities().end();
      });
      if (!copied) return copied.error();
      if (Status allowed = db::check_identity_renames(s, options.writable_files); !allowed) return allowed;
      if (auto r = s.exec(db::sql::k_merge_identities); !r) return r.error();
    }

    const std::map<int64_t, TraceFigures> figures = trace_figures(v.detections());
    auto trace = v.traces().begin();
    Status traces_copied = s.copy_in(db::sql::k_copy_traces, [&](std::string& out) -> Result<bool> {
      for (int n = 0; n < 1000 && trace != v.traces().end(); ++n, ++trace) {
        out += uuid;
        out.push_back('\t');
        append_number(out, trace->first);
        out.push_back('\t');
        out += trace->second.identity_uuid.empty() ? "\\N" : trace->second.identity_uuid;
        out.push_back('\t');
        append_copy_text(out, trace->second.label);
        const TraceFigures& f = figures.at(trace->first);
        for (int64_t value : {f.count, f.first_frame, f.last_frame}) {
          out.push_back('\t');
          append_number(out, value);
        }
        out.push_back('\n');
      }
      return trace != v.traces().end();
    });
    if (!traces_copied) return traces_copied.error();

    // Binary COPY (db/copy_binary.hpp): the uuids as their 16 bytes, each
    // trace's identity converted once.
    const std::string file_bytes = db::copy_binary::uuid_bytes(uuid);
    std::unordered_map<int64_t, std::string> identity_bytes;
    for (const auto& [id, info] : v.traces()) identity_bytes.emplace(id, db::copy_binary::uuid_bytes(info.identity_uuid));
    size_t next = 0;
    const auto& rows = v.detections();
    Status detections_copied = s.copy_in(db::sql::k_copy_detections, [&](std::string& out) -> Result<bool> {
      if (next == 0) db::copy_binary::append_header(out);
      size_t end = std::min(rows.size(), next + 4096);
      for (; next < end; ++next) {
        const CompactDetection& d = rows[next];
        db::copy_binary::append_row_start(out, 9);
        db::copy_binary::append_uuid_bytes(out, file_bytes);
        db::copy_binary::append_int8(out, d.trace_id);
        db::copy_binary::append_int4(out, d.frame_number);
        db::copy_binary::append_int4(out, d.x);
        db::copy_binary::append_int4(out, d.y);
        db::copy_binary::append_int4(out, d.width);
        db::copy_binary::append_int4(out, d.height);
        db::copy_binary::append_float8(out, d.confidence);
        db::copy_binary::append_uuid_bytes(out, identity_bytes.at(d.trace_id));
      }
      if (next == rows.size()) db::copy_binary::append_trailer(out);
      if (options.progress) {
        options.progress("store", "detections", static_cast<int64_t>(next), static_cast<int64_t>(rows.size()));
      }
      return next < rows.size();
    });
    if (!detections_copied) return detections_copied.error();

    auto revision = s.exec(db::sql::k_bump_detections_revision, {uuid});
    if (!revision) return revision.error();
    summary.detections_revision = revision->int64(0, 0);
    return Status();
  });
  if (!stored) return stored.error();
  return summary;
}

}  // namespace frameserve::import
