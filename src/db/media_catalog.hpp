// MediaCatalog: resolves a file_uuid to a ready MediaFile (row + frame index).
//
// The files row is read on every call (one primary-key lookup), so removals
// and re-registrations by other processes are seen at once; the frame index,
// which can be megabytes for a film, is cached and reused while the row's
// registration time is unchanged.
//
// Thread-safe.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/result.hpp"
#include "db/file_store.hpp"
#include "media/media_info.hpp"

namespace frameserve::db {

struct ResolvedFile {
  std::shared_ptr<const media::MediaFile> media;
  int64_t detections_revision = 0;
  // When this registration of the uuid was made: a uuid removed and
  // registered again starts its detections_revision over, so whatever is
  // derived from a registration is keyed by both.
  int64_t registered_at_us = 0;
  // What the registration recorded of the file on disk, for the check
  // before a job (import::require_unchanged); resolve() does not look.
  FileIdentity identity;
};

class MediaCatalog {
 public:
  explicit MediaCatalog(FileStore& files, size_t max_cached = 64) : m_files(files), m_max_cached(max_cached) {}

  // Errors: `not_found` ("file_not_found"), `unavailable` (database down).
  Result<ResolvedFile> resolve(const std::string& file_uuid);

 private:
  struct Entry {
    int64_t registered_at_us;
    std::shared_ptr<const media::FrameIndex> index;
  };

  FileStore& m_files;
  size_t m_max_cached;
  std::mutex m_mutex;
  std::list<std::string> m_lru;  // most recent first
  std::unordered_map<std::string, std::pair<Entry, std::list<std::string>::iterator>> m_entries;
};

}  // namespace frameserve::db
