// Authenticator: turns presented credentials into a Principal (401 when
// there are none or they are invalid) and decides whether a Principal may
// use a file (403 when not).
//
// Order matters to clients and is the same everywhere: credentials are
// checked first, then coverage of the file, and only then whether the file
// exists (404), so an unauthenticated caller learns nothing about files.
// Every 401 names the credential that was actually given (X-API-Key,
// Authorization: Bearer or ?access_token=) and suggests what works there:
// a <video src> can only use the query parameter.
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

// The credential of a request, as presented. The HTTP layer sets at most
// one of them: a request carrying two (or one twice) is refused there with
// a 400 before authentication. Should more than one be set, the X-API-Key
// header counts, then the bearer token, then the query parameter.
struct Credentials {
  std::optional<std::string> api_key;       // X-API-Key
  std::optional<std::string> bearer;        // Authorization: Bearer
  std::optional<std::string> access_token;  // ?access_token=, an API key (fsk_...) or a JWT
};

struct Principal {
  enum class Kind { api_key, jwt };
  Kind kind = Kind::api_key;
  std::string id;  // key id, or the token's "sub"; for logs
  bool all_files = false;
  bool write = false;  // scope "write": may register files and import detections
  std::vector<std::string> jwt_files;

  std::string describe() const { return (kind == Kind::api_key ? "key:" : "jwt:") + id; }
};

class Authenticator {
 public:
  Authenticator(KeyStore& keys, const JwtCodec& jwt) : m_keys(keys), m_jwt(jwt) {}

  // Errors: `unauthorized` (missing, malformed, unknown, revoked, expired...;
  // the message names the credential given), `unavailable` (database).
  Result<Principal> authenticate(const Credentials& credentials, std::time_t now) const;
  // Errors: `forbidden` ("file_not_covered"), `unavailable` (database).
  Status authorize(const Principal& principal, const std::string& file_uuid) const;
  // Whether the caller may write (register, import, delete).
  // Errors: `forbidden` ("insufficient_scope", naming the scope needed).
  static Status require_write(const Principal& principal);
  // The files a Principal may see, for listings: nullopt when it covers
  // every file. Errors: `unavailable` (database).
  Result<std::optional<std::vector<std::string>>> visible_files(const Principal& principal) const;

 private:
  Result<Principal> authenticate_key(const std::string& key) const;
  Result<Principal> authenticate_jwt(const std::string& token, std::time_t now) const;

  KeyStore& m_keys;
  const JwtCodec& m_jwt;
};

}  // namespace frameserve::auth
