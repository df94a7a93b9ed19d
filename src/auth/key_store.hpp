// KeyStore: API keys in PostgreSQL (hashes only) and their file grants.
//
// Thread-safe (stateless over Database).
#pragma once

#include <string>
#include <vector>

#include "auth/api_key.hpp"
#include "common/result.hpp"
#include "db/database.hpp"

namespace frameserve::auth {

struct ApiKeyInfo {
  std::string key_id;
  std::string name;
  bool all_files = false;
  std::vector<std::string> files;
  std::string created_at;
  std::string revoked_at;  // empty while active
  bool write = false;      // scope "write" (else "read")
};

// What a verified key may do.
struct KeyGrant {
  bool all_files = false;
  bool write = false;
};

class KeyStore {
 public:
  explicit KeyStore(db::Database& database) : m_database(database) {}

  // Creates a key for every file or for `files`, read-only unless `write`.
  // Errors: `not_found` for a file that is not registered,
  // `invalid_argument` for neither/both.
  Result<GeneratedApiKey> create(const std::string& name, bool all_files, const std::vector<std::string>& files,
                                 bool write = false);
  Result<std::vector<ApiKeyInfo>> list();
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
  db::Database& m_database;
};

}  // namespace frameserve::auth
