// DiscoveryStore: the listing queries behind GET /api/v1/files and a file's
// identities, traces and detection frames.
//
// Every list is keyset-paginated: a call takes the last key of the previous
// page (nullopt for the first) and a limit, and asks PostgreSQL for one row
// more than the limit so that the caller knows whether another page exists
// without a count. Counts come from the figures each trace row stores (see
// sql/003_discovery.sql), never from counting detections.
// Thread-safe (stateless over Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/database.hpp"
#include "db/file_store.hpp"

namespace frameserve::db {

// One page of a list: `more` says that rows follow the last item.
template <typename T>
struct Page {
  std::vector<T> items;
  bool more = false;
};

struct FileListing {
  FileRow row;
  int64_t trace_count = 0;
  int64_t identity_count = 0;
  int64_t detection_count = 0;
};

// Where a page of files starts: after this (registration time, file_uuid).
struct FileKey {
  int64_t registered_at_us = 0;
  std::string file_uuid;
};

struct IdentityListing {
  std::string identity_uuid;
  std::string name;
  std::vector<int64_t> trace_ids;
  int64_t detection_count = 0;
  std::optional<int64_t> first_frame;
  std::optional<int64_t> last_frame;
};

struct TraceListing {
  int64_t trace_id = 0;
  std::string identity_uuid;  // empty: no identity
  std::string name;           // the identity's name; empty without one
  std::string label;
  std::optional<int64_t> first_frame;
  std::optional<int64_t> last_frame;
  int64_t detection_count = 0;
};

class DiscoveryStore {
 public:
  explicit DiscoveryStore(Database& database) : m_database(database) {}

  // Files in registration order after `after`; `only` limits the list to
  // those file_uuids (nullopt: every file). Errors: `unavailable`.
  Result<Page<FileListing>> files(const std::optional<std::vector<std::string>>& only,
                                  const std::optional<FileKey>& after, int limit);
  // One file with its counts. Errors: `not_found` ("file_not_found").
  Result<FileListing> file(const std::string& file_uuid);

  // A file's identities by identity_uuid after `after`. Errors: `unavailable`.
  Result<Page<IdentityListing>> identities(const std::string& file_uuid, const std::optional<std::string>& after,
                                           int limit);

  // A file's traces by trace_id after `after`, only those of `identity_uuid`
  // when given. Errors: `unavailable`.
  Result<Page<TraceListing>> traces(const std::string& file_uuid, const std::optional<std::string>& identity_uuid,
                                    const std::optional<int64_t>& after, int limit);

  // The first `limit` frames within [first, last] holding a detection, in
  // order. Errors: `unavailable`.
  Result<Page<int64_t>> detection_frames(const std::string& file_uuid, int64_t first, int64_t last, int limit);

 private:
  Database& m_database;
};

}  // namespace frameserve::db
