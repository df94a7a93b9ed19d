#include "db/detection_writer.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "db/copy_binary.hpp"
#include "db/detection_store.hpp"
#include "db/file_store.hpp"
#include "db/queries.hpp"

namespace frameserve::db {

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

std::string trace_id_array(const std::vector<NewTrace>& traces) {
  std::string out = "{";
  for (const NewTrace& trace : traces) {
    if (out.size() > 1) out.push_back(',');
    out += std::to_string(trace.trace_id);
  }
  out.push_back('}');
  return out;
}

Status stage_identities(Session& s, const std::map<std::string, std::string>& identities,
                        const std::optional<std::vector<std::string>>& writable_files) {
  if (auto r = s.exec(sql::k_create_identity_staging); !r) return r.error();
  auto it = identities.begin();
  Status copied = s.copy_in(sql::k_copy_identity_staging, [&](std::string& out) -> Result<bool> {
    for (int n = 0; n < 1000 && it != identities.end(); ++n, ++it) {
      out += it->first;
      out.push_back('\t');
      append_copy_text(out, it->second);
      out.push_back('\n');
    }
    return it != identities.end();
  });
  if (!copied) return copied.error();
  if (Status allowed = check_identity_renames(s, writable_files); !allowed) return allowed;
  if (auto r = s.exec(sql::k_merge_identities); !r) return r.error();
  return Status();
}

Status copy_traces(Session& s, const std::string& file_uuid, const std::vector<NewTrace>& traces) {
  auto trace = traces.begin();
  return s.copy_in(sql::k_copy_traces, [&](std::string& out) -> Result<bool> {
    for (int n = 0; n < 1000 && trace != traces.end(); ++n, ++trace) {
      out += file_uuid;
      out.push_back('\t');
      append_number(out, trace->trace_id);
      out.push_back('\t');
      out += trace->identity_uuid.empty() ? "\\N" : trace->identity_uuid;
      out.push_back('\t');
      append_copy_text(out, trace->label);
      for (int64_t value : {trace->detection_count, trace->first_frame, trace->last_frame}) {
        out.push_back('\t');
        append_number(out, value);
      }
      out.push_back('\n');
    }
    return trace != traces.end();
  });
}

// Binary COPY (db/copy_binary.hpp): the uuids as their 16 bytes, each
// trace's identity converted once.
Status copy_detections(Session& s, const std::string& file_uuid, const std::vector<NewTrace>& traces,
                       const std::vector<NewDetection>& rows, const DetectionWrite& how) {
  const std::string file_bytes = copy_binary::uuid_bytes(file_uuid);
  std::unordered_map<int64_t, std::string> identity_bytes;
  for (const NewTrace& trace : traces)
    identity_bytes.emplace(trace.trace_id, copy_binary::uuid_bytes(trace.identity_uuid));
  size_t next = 0;
  return s.copy_in(sql::k_copy_detections, [&](std::string& out) -> Result<bool> {
    if (next == 0) copy_binary::append_header(out);
    size_t end = std::min(rows.size(), next + 4096);
    for (; next < end; ++next) {
      const NewDetection& d = rows[next];
      copy_binary::append_row_start(out, 9);
      copy_binary::append_uuid_bytes(out, file_bytes);
      copy_binary::append_int8(out, d.trace_id);
      copy_binary::append_int4(out, d.frame_number);
      copy_binary::append_int4(out, d.x);
      copy_binary::append_int4(out, d.y);
      copy_binary::append_int4(out, d.width);
      copy_binary::append_int4(out, d.height);
      copy_binary::append_float8(out, d.confidence);
      copy_binary::append_uuid_bytes(out, identity_bytes.at(d.trace_id));
    }
    if (next == rows.size()) copy_binary::append_trailer(out);
    if (how.progress) how.progress(static_cast<int64_t>(next), static_cast<int64_t>(rows.size()));
    return next < rows.size();
  });
}

}  // namespace

Result<int64_t> DetectionWriter::write(const std::string& file_uuid,
                                       const std::map<std::string, std::string>& identities,
                                       const std::vector<NewTrace>& traces, const std::vector<NewDetection>& detections,
                                       const DetectionWrite& how) {
  int64_t revision = 0;
  Status stored = m_database.transaction([&](Session& s) -> Status {
    auto locked = s.exec(sql::k_lock_file_for_import, {file_uuid});
    if (!locked) return locked.error();
    if (locked->rows() == 0) return file_not_found(file_uuid);

    if (how.replace) {
      if (auto r = s.exec(sql::k_delete_file_traces, {file_uuid}); !r) return r.error();
    } else {
      auto existing = s.exec(sql::k_existing_traces, {file_uuid, trace_id_array(traces)});
      if (!existing) return existing.error();
      if (existing->rows() > 0) {
        return make_error(ErrorKind::conflict, k_traces_exist,
                          "file " + file_uuid + " already has trace " + existing->string(0, 0) +
                              " (an import adds traces; replacing the file's detections replaces them all)");
      }
    }
    if (!identities.empty()) {
      if (Status staged = stage_identities(s, identities, how.writable_files); !staged) return staged;
    }
    if (Status copied = copy_traces(s, file_uuid, traces); !copied) return copied;
    if (Status copied = copy_detections(s, file_uuid, traces, detections, how); !copied) return copied;

    auto bumped = s.exec(sql::k_bump_detections_revision, {file_uuid});
    if (!bumped) return bumped.error();
    revision = bumped->int64(0, 0);
    return Status();
  });
  if (!stored) return stored.error();
  return revision;
}

}  // namespace frameserve::db
