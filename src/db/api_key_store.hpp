// ApiKeyStore: the api_keys and api_key_files rows (a key's id, name,
// SHA-256 of its secret, scope and file grants). The policy (what a key may
// do, how a presented key is checked) is auth::KeyStore's.
//
// Thread-safe (stateless over Database).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/database.hpp"

namespace frameserve::db {

// A key as listed: never its secret or digest.
struct ApiKeyRow {
  std::string key_id;
  std::string name;
  bool all_files = false;
  std::vector<std::string> files;
  std::string created_at;
  std::string revoked_at;  // empty while active
  bool write = false;      // scope "write" (else "read")
};

// A key to store: `secret_sha256` is the raw 32-byte digest of its secret.
struct NewApiKey {
  std::string key_id;
  std::string name;
  std::string secret_sha256;
  bool all_files = false;
  bool write = false;
  std::vector<std::string> files;  // checked file_uuids
};

// What verifying a presented key needs.
struct StoredApiKey {
  std::string secret_sha256_hex;  // lowercase hex
  bool all_files = false;
  bool revoked = false;
  bool write = false;
};

class ApiKeyStore {
 public:
  explicit ApiKeyStore(Database& database) : m_database(database) {}

  // Stores the key and its grants in one transaction. Errors: `not_found`
  // ("file_not_found") for a file that is not registered, `conflict` for a
  // key id that exists, `unavailable`.
  Status insert(const NewApiKey& key);
  // Every key, oldest first. Errors: `unavailable`.
  Result<std::vector<ApiKeyRow>> list();
  // Marks an active key revoked; false when no active key has that id.
  // Errors: `unavailable`.
  Result<bool> revoke(const std::string& key_id);
  // nullopt when no key has that id. Errors: `unavailable`.
  Result<std::optional<StoredApiKey>> find(const std::string& key_id);
  // The file_uuids granted to a key, sorted. Errors: `unavailable`.
  Result<std::vector<std::string>> files_of(const std::string& key_id);
  // Whether `file_uuid` is granted to the key. Errors: `unavailable`.
  Result<bool> covers(const std::string& key_id, const std::string& file_uuid);

 private:
  Database& m_database;
};

}  // namespace frameserve::db
