#include "auth/key_store.hpp"

#include <algorithm>

#include "auth/crypto.hpp"
#include "common/file_uuid.hpp"
#include "common/text.hpp"

namespace frameserve::auth {

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
  Status stored = m_rows.insert(db::NewApiKey{key->parts.key_id, name, key->secret_sha256, all_files, write, files});
  if (!stored) return stored.error();
  return key;
}

Result<std::vector<db::ApiKeyRow>> KeyStore::list() { return m_rows.list(); }

Status KeyStore::revoke(const std::string& key_id) {
  auto revoked = m_rows.revoke(key_id);
  if (!revoked) return revoked.error();
  if (!revoked.value()) return not_found("key_not_found", "no active API key has id " + quote_for_message(key_id));
  return Status();
}

Result<KeyGrant> KeyStore::verify(const ApiKeyParts& key) {
  auto stored = m_rows.find(key.key_id);
  if (!stored) return stored.error();
  // The digest is computed and compared even for unknown ids, so timing does
  // not tell which ids exist.
  std::string presented = sha256(key.secret);
  std::string expected = stored->has_value() ? stored->value().secret_sha256_hex : std::string(64, '0');
  std::string presented_hex = hex_encode(reinterpret_cast<const unsigned char*>(presented.data()), presented.size());
  bool match = constant_time_equals(presented_hex, expected);
  if (!stored->has_value() || !match || stored->value().revoked) {
    return make_error(ErrorKind::unauthorized, "invalid_api_key", "the API key is not valid (unknown or revoked)");
  }
  return KeyGrant{stored->value().all_files, stored->value().write};
}

Result<std::vector<std::string>> KeyStore::files_of(const std::string& key_id) { return m_rows.files_of(key_id); }

Result<bool> KeyStore::covers(const std::string& key_id, const std::string& file_uuid) {
  return m_rows.covers(key_id, file_uuid);
}

}  // namespace frameserve::auth
