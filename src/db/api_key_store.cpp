#include "db/api_key_store.hpp"

#include "common/text.hpp"
#include "db/queries.hpp"

namespace frameserve::db {

Status ApiKeyStore::insert(const NewApiKey& key) {
  return m_database.transaction([&](Session& s) -> Status {
    auto row = s.exec(sql::k_insert_api_key, {key.key_id, key.name, PgParam::bytes(key.secret_sha256), key.all_files,
                                              std::string(key.write ? "write" : "read")});
    if (!row) return row.error();
    for (const std::string& f : key.files) {
      auto grant = s.exec(sql::k_insert_api_key_file, {key.key_id, f});
      if (!grant) {
        if (grant.error().code == "referenced_row_missing") {
          return not_found("file_not_found", "no file with file_uuid " + f + " is registered");
        }
        return grant.error();
      }
    }
    return Status();
  });
}

Result<std::vector<ApiKeyRow>> ApiKeyStore::list() {
  auto r = m_database.query(sql::k_list_api_keys);
  if (!r) return r.error();
  std::vector<ApiKeyRow> keys;
  for (int i = 0; i < r->rows(); ++i) {
    ApiKeyRow info;
    info.key_id = r->string(i, 0);
    info.name = r->string(i, 1);
    info.all_files = r->boolean(i, 2);
    info.created_at = r->string(i, 3);
    info.revoked_at = r->string(i, 4);
    info.write = r->string(i, 6) == "write";
    std::string files = r->string(i, 5);
    if (!files.empty()) {
      for (std::string_view f : split(files, ',')) info.files.emplace_back(f);
    }
    keys.push_back(std::move(info));
  }
  return keys;
}

Result<bool> ApiKeyStore::revoke(const std::string& key_id) {
  auto r = m_database.query(sql::k_revoke_api_key, {key_id}, ResultFormat::text, Retry::never);
  if (!r) return r.error();
  return r->affected_rows() > 0;
}

Result<std::optional<StoredApiKey>> ApiKeyStore::find(const std::string& key_id) {
  auto r = m_database.query(sql::k_select_api_key, {key_id});
  if (!r) return r.error();
  if (r->rows() != 1) return std::optional<StoredApiKey>();
  StoredApiKey key;
  // Text-format bytea is "\x" + lowercase hex.
  std::string_view stored = r->text(0, 0);
  key.secret_sha256_hex = stored.size() > 2 ? std::string(stored.substr(2)) : std::string();
  key.all_files = r->boolean(0, 1);
  key.revoked = r->boolean(0, 2);
  key.write = r->boolean(0, 3);
  return std::optional<StoredApiKey>(std::move(key));
}

Result<std::vector<std::string>> ApiKeyStore::files_of(const std::string& key_id) {
  auto r = m_database.query(sql::k_api_key_files, {key_id});
  if (!r) return r.error();
  std::vector<std::string> files;
  for (int row = 0; row < r->rows(); ++row) files.push_back(r->string(row, 0));
  return files;
}

Result<bool> ApiKeyStore::covers(const std::string& key_id, const std::string& file_uuid) {
  auto r = m_database.query(sql::k_api_key_covers_file, {key_id, file_uuid});
  if (!r) return r.error();
  return r->rows() > 0;
}

}  // namespace frameserve::db
