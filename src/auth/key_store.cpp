#include "auth/key_store.hpp"

#include <algorithm>

#include "auth/crypto.hpp"
#include "common/file_uuid.hpp"
#include "common/text.hpp"
#include "db/queries.hpp"

namespace frameserve::auth {

namespace sql = db::sql;

Result<GeneratedApiKey> KeyStore::create(const std::string& name, bool all_files,
                                         const std::vector<std::string>& requested_files, bool write) {
  std::vector<std::string> files = requested_files;
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  if (all_files == !files.empty()) {
    return invalid_argument("bad_key_scope", "a key covers either every file (--all) or a list (--file UUID)");
  }
  for (const std::string& f : files) {
    if (Status valid = check_file_uuid(f, "--file"); !valid) return valid.error();
  }
  auto key = generate_api_key();
  if (!key) return key.error();
  Status stored = m_database.transaction([&](db::Session& s) -> Status {
    auto row = s.exec(sql::k_insert_api_key,
                      {key->parts.key_id, name, db::PgParam::bytes(key->secret_sha256), all_files,
                       std::string(write ? "write" : "read")});
    if (!row) return row.error();
    for (const std::string& f : files) {
      auto grant = s.exec(sql::k_insert_api_key_file, {key->parts.key_id, f});
      if (!grant) {
        if (grant.error().code == "referenced_row_missing") {
          return not_found("file_not_found", "no file with file_uuid " + f + " is registered");
        }
        return grant.error();
      }
    }
    return Status();
  });
  if (!stored) return stored.error();
  return key;
}

Result<std::vector<ApiKeyInfo>> KeyStore::list() {
  auto r = m_database.query(sql::k_list_api_keys);
  if (!r) return r.error();
  std::vector<ApiKeyInfo> keys;
  for (int i = 0; i < r->rows(); ++i) {
    ApiKeyInfo info;
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

Status KeyStore::revoke(const std::string& key_id) {
  auto r = m_database.query(sql::k_revoke_api_key, {key_id}, db::ResultFormat::text, db::Retry::never);
  if (!r) return r.error();
  if (r->affected_rows() == 0) return not_found("key_not_found", "no active API key has id " + quote_for_message(key_id));
  return Status();
}

Result<KeyGrant> KeyStore::verify(const ApiKeyParts& key) {
  auto r = m_database.query(sql::k_select_api_key, {key.key_id});
  if (!r) return r.error();
  // The digest is computed and compared even for unknown ids, so timing does
  // not tell which ids exist.
  std::string presented = sha256(key.secret);
  std::string stored = r->rows() == 1 ? std::string(r->text(0, 0)) : std::string();
  // Text-format bytea is "\x" + hex.
  std::string expected = stored.size() > 2 ? stored.substr(2) : std::string(64, '0');
  std::string presented_hex = hex_encode(reinterpret_cast<const unsigned char*>(presented.data()), presented.size());
  bool match = constant_time_equals(presented_hex, expected);
  if (r->rows() != 1 || !match || r->boolean(0, 2)) {
    return make_error(ErrorKind::unauthorized, "invalid_api_key", "the API key is not valid (unknown or revoked)");
  }
  return KeyGrant{r->boolean(0, 1), r->boolean(0, 3)};
}

Result<std::vector<std::string>> KeyStore::files_of(const std::string& key_id) {
  auto r = m_database.query(sql::k_api_key_files, {key_id});
  if (!r) return r.error();
  std::vector<std::string> files;
  for (int row = 0; row < r->rows(); ++row) files.push_back(r->string(row, 0));
  return files;
}

Result<bool> KeyStore::covers(const std::string& key_id, const std::string& file_uuid) {
  auto r = m_database.query(sql::k_api_key_covers_file, {key_id, file_uuid});
  if (!r) return r.error();
  return r->rows() > 0;
}

}  // namespace frameserve::auth
