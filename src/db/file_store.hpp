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

// A files row: the file's description without its frame index.
struct FileRow {
  std::string file_uuid;
  std::string path;
  media::MediaInfo info;
  int64_t detections_revision = 0;
  int64_t registered_at_us = 0;
};

class FileStore {
 public:
  explicit FileStore(Database& database) : m_database(database) {}

  // Stores the file and its index in one transaction. Errors: `conflict`
  // when the uuid is already registered.
  Status insert(const media::MediaFile& file);

  // Errors: `not_found` (code "file_not_found").
  Result<FileRow> find(const std::string& file_uuid);
  Result<std::vector<FileRow>> list();
  // Errors: `not_found`. Removes traces, detections and key grants with it.
  Status remove(const std::string& file_uuid);

  Result<std::shared_ptr<const media::FrameIndex>> load_index(const std::string& file_uuid);

 private:
  Database& m_database;
};

Error file_not_found(const std::string& file_uuid);

// A FileRow from the FRAMESERVE_FILE_COLUMNS of `row` (those columns first,
// in their order); the schema guarantees every field, so it cannot fail.
FileRow file_row_from(const PgResult& r, int row);

// Columns of FRAMESERVE_FILE_COLUMNS, i.e. where a listing's own columns start.
inline constexpr int k_file_column_count = 19;

}  // namespace frameserve::db
