// FileStore: registered files and their frame indexes in PostgreSQL.
//
// Thread-safe (stateless over Database).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/database.hpp"
#include "media/media_info.hpp"

namespace frameserve::db {

// How a registered file is recognised on disk: checked before every job
// (import::require_unchanged) so that a replaced file never serves another
// video's frames.
struct FileIdentity {
  int64_t size_bytes = 0;
  int64_t mtime_ns = 0;
  // 0 and empty for a file registered before migration 008 and not checked
  // since (the first check that finds its size and mtime fills them in).
  int64_t ctime_ns = 0;
  std::string fingerprint;  // lowercase hex SHA-256; see import::read_file_identity
};

// A files row: the file's description without its frame index.
struct FileRow {
  std::string file_uuid;
  std::string path;
  media::MediaInfo info;
  int64_t detections_revision = 0;
  int64_t registered_at_us = 0;
  int64_t ctime_ns = 0;
  std::string fingerprint;

  // Size and mtime (from info) with ctime and fingerprint; cannot fail.
  FileIdentity identity() const { return FileIdentity{info.size_bytes, info.mtime_ns, ctime_ns, fingerprint}; }
};

class FileStore {
 public:
  explicit FileStore(Database& database) : m_database(database) {}

  // Stores the file and its index in one transaction, with the ctime and
  // fingerprint of `identity` (size and mtime come from file.info). Errors:
  // `conflict` when the uuid is already registered.
  Status insert(const media::MediaFile& file, const FileIdentity& identity);

  // Errors: `not_found` (code "file_not_found").
  Result<FileRow> find(const std::string& file_uuid);
  Result<std::vector<FileRow>> list();
  // Errors: `not_found`. Removes traces, detections and key grants with it.
  Status remove(const std::string& file_uuid);

  Result<std::shared_ptr<const media::FrameIndex>> load_index(const std::string& file_uuid);

  // Records that the file is at `path` and looks like `identity` on disk,
  // which a check found to be the registered bytes. False (not an error)
  // when the row is gone or its size or stored fingerprint differ from
  // `identity`'s, i.e. nothing is adopted that is not the registered file.
  // Errors: `unavailable`.
  Result<bool> update_identity(const std::string& file_uuid, const std::string& path, const FileIdentity& identity);

 private:
  Database& m_database;
};

Error file_not_found(const std::string& file_uuid);

// A FileRow from the FRAMESERVE_FILE_COLUMNS of `row` (those columns first,
// in their order); the schema guarantees every field, so it cannot fail.
FileRow file_row_from(const PgResult& r, int row);

// Columns of FRAMESERVE_FILE_COLUMNS, i.e. where a listing's own columns start.
inline constexpr int k_file_column_count = 22;

}  // namespace frameserve::db
