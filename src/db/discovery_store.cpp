#include "db/discovery_store.hpp"

#include <algorithm>

#include "common/text.hpp"
#include "db/queries.hpp"

namespace frameserve::db {

namespace {

// Splits the result rows into the page and the look-ahead row.
template <typename T, typename RowFn>
Page<T> page_of(const PgResult& r, int limit, RowFn&& row_fn) {
  Page<T> page;
  int rows = r.rows();
  page.more = rows > limit;
  for (int row = 0; row < std::min(rows, limit); ++row) page.items.push_back(row_fn(r, row));
  return page;
}

FileListing file_listing_from(const PgResult& r, int row) {
  FileListing f;
  f.row = file_row_from(r, row);
  int c = k_file_column_count;
  f.trace_count = r.int64(row, c++);
  f.identity_count = r.int64(row, c++);
  f.detection_count = r.int64(row, c++);
  return f;
}

std::vector<int64_t> int_list(std::string_view text) {
  std::vector<int64_t> values;
  for (std::string_view part : split(text, ',')) {
    if (auto v = parse_int64(part)) values.push_back(*v);
  }
  return values;
}

}  // namespace

Result<Page<FileListing>> DiscoveryStore::files(const std::optional<std::vector<std::string>>& only,
                                                const std::optional<FileKey>& after, int limit) {
  PgParam scope = only ? PgParam(uuid_array(*only)) : PgParam();
  PgParam after_time = after ? PgParam(after->registered_at_us) : PgParam();
  PgParam after_uuid = after ? PgParam(after->file_uuid) : PgParam();
  auto r = m_database.query(sql::k_list_files_page, {scope, after_time, after_uuid, limit + 1});
  if (!r) return r.error();
  return page_of<FileListing>(r.value(), limit, file_listing_from);
}

Result<FileListing> DiscoveryStore::file(const std::string& file_uuid) {
  auto page = files(std::vector<std::string>{file_uuid}, std::nullopt, 1);
  if (!page) return page.error();
  if (page->items.empty()) return file_not_found(file_uuid);
  return std::move(page->items.front());
}

Result<Page<IdentityListing>> DiscoveryStore::identities(const std::string& file_uuid,
                                                         const std::optional<std::string>& after, int limit) {
  auto r = m_database.query(sql::k_list_identities_page, {file_uuid, PgParam(after), limit + 1});
  if (!r) return r.error();
  return page_of<IdentityListing>(r.value(), limit, [](const PgResult& r, int row) {
    IdentityListing i;
    i.identity_uuid = r.string(row, 0);
    i.name = r.string(row, 1);
    i.trace_ids = int_list(r.text(row, 2));
    i.detection_count = r.int64(row, 3);
    i.first_frame = r.optional_int64(row, 4);
    i.last_frame = r.optional_int64(row, 5);
    return i;
  });
}

Result<Page<TraceListing>> DiscoveryStore::traces(const std::string& file_uuid,
                                                  const std::optional<std::string>& identity_uuid,
                                                  const std::optional<int64_t>& after, int limit) {
  auto r = m_database.query(sql::k_list_traces_page, {file_uuid, PgParam(identity_uuid), PgParam(after), limit + 1});
  if (!r) return r.error();
  return page_of<TraceListing>(r.value(), limit, [](const PgResult& r, int row) {
    TraceListing t;
    t.trace_id = r.int64(row, 0);
    t.identity_uuid = r.string(row, 1);
    t.name = r.string(row, 2);
    t.label = r.string(row, 3);
    t.first_frame = r.optional_int64(row, 4);
    t.last_frame = r.optional_int64(row, 5);
    t.detection_count = r.int64(row, 6);
    return t;
  });
}

Result<Page<int64_t>> DiscoveryStore::detection_frames(const std::string& file_uuid, int64_t first, int64_t last,
                                                       int limit) {
  auto r = m_database.query(sql::k_detection_frames_page, {file_uuid, first, last, limit + 1});
  if (!r) return r.error();
  return page_of<int64_t>(r.value(), limit, [](const PgResult& r, int row) { return r.int64(row, 0); });
}

}  // namespace frameserve::db
