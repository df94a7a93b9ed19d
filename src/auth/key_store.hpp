// KeyStore: API keys and their file grants — which keys may be made, and
// whether a presented key is valid. The rows (hashes only) are
// db::ApiKeyStore's.
//
// Thread-safe (stateless over Database).
#pragma once

#include <string>
#include <vector>

#include "auth/api_key.hpp"
#include "common/result.hpp"
#include "db/api_key_store.hpp"
#include "db/database.hpp"

namespace frameserve::auth {

// What a verified key may do.
struct KeyGrant {
  bool all_files = false;
  bool write = false;
};

class KeyStore {
 public:
  explicit KeyStore(db::Database& database) : m_rows(database) {}

  // Creates a key for every file or for `files`, read-only unless `write`.
  // Errors: `not_found` for a file that is not registered,
  // `invalid_argument` for neither/both.
  Result<GeneratedApiKey> create(const std::string& name, bool all_files, const std::vector<std::string>& files,
                                 bool write = false);
  Result<std::vector<db::ApiKeyRow>> list();
  // Errors: `not_found` when no active key has that id.
  Status revoke(const std::string& key_id);

  // Checks a presented key. Errors: `unauthorized` ("invalid_api_key").
  // On success returns whether the key covers every file and may write.
  Result<KeyGrant> verify(const ApiKeyParts& key);
  // Whether a key limited to a list of files covers `file_uuid`.
  Result<bool> covers(const std::string& key_id, const std::string& file_uuid);
  // The file_uuids a key limited to a list of files covers. Errors: `unavailable`.
  Result<std::vector<std::string>> files_of(const std::string& key_id);

 private:
  db::ApiKeyStore m_rows;
};

}  // namespace frameserve::auth
