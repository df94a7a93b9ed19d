// Authenticator: turns presented credentials into a Principal (401 when
// there are none or they are invalid) and decides whether a Principal may
// use a file (403 when not).
//
// Order matters to clients and is the same everywhere: credentials are
// checked first, then coverage of the file, and only then whether the file
// exists (404), so an unauthenticated caller learns nothing about files.
// Thread-safe.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "auth/jwt_codec.hpp"
#include "auth/key_store.hpp"
#include "common/result.hpp"

namespace frameserve::auth {

struct Credentials {
  std::optional<std::string> api_key;  // X-API-Key
  std::optional<std::string> bearer;   // Authorization: Bearer
};

struct Principal {
  enum class Kind { api_key, jwt };
  Kind kind = Kind::api_key;
  std::string id;  // key id, or the token's "sub"; for logs
  bool all_files = false;
  std::vector<std::string> jwt_files;

  std::string describe() const { return (kind == Kind::api_key ? "key:" : "jwt:") + id; }
};

class Authenticator {
 public:
  Authenticator(KeyStore& keys, const JwtCodec& jwt) : m_keys(keys), m_jwt(jwt) {}

  Result<Principal> authenticate(const Credentials& credentials, std::time_t now) const;
  // Errors: `forbidden` ("file_not_covered"), `unavailable` (database).
  Status authorize(const Principal& principal, const std::string& file_uuid) const;
  // The files a Principal may see, for listings: nullopt when it covers
  // every file. Errors: `unavailable` (database).
  Result<std::optional<std::vector<std::string>>> visible_files(const Principal& principal) const;

 private:
  KeyStore& m_keys;
  const JwtCodec& m_jwt;
};

}  // namespace frameserve::auth
