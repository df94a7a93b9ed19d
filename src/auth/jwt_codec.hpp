// JwtCodec: verifies and mints HS256 JSON Web Tokens with a shared secret.
//
// A token grants access to files through its "files" claim: an array of
// file_uuids, or the string "*" for every file; any other value makes the
// token invalid rather than grant nothing. Its "scope" claim is "read"
// (also when absent) or "write" (registering files, importing detections);
// any other value makes the token invalid rather than silently read-only. "exp" and "nbf" are honoured
// as NumericDates (seconds since 1970, fractions allowed, RFC 7519). A token
// without "exp" would be valid forever, so it is refused unless the codec
// was built to allow it (`serve --jwt-allow-no-exp`).
// Only HS256 is accepted — "none", other HMAC sizes and public-key
// algorithms are rejected before any other processing. A header with
// "crit" is refused: frameserve understands no extension (RFC 7515,
// section 4.1.11).
//
// Each token is read one way: header and payload are each parsed once
// (iteratively, at most 32 levels deep, UTF-8 validated), and an object that
// names a member twice — a claim or a header member given twice — makes the
// token invalid (RFC 7519, section 4), so no claim can be read as its first
// value in one place and its last in another. The signature is verified
// once, by OpenSSL's HMAC-SHA256 compared in constant time, before the
// payload is decoded at all. libjwt only mints.
// Thread-safe (immutable after construction).
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace frameserve::auth {

struct JwtGrant {
  bool all_files = false;
  std::vector<std::string> files;  // lowercase file_uuids
  std::string subject;             // "sub", for the access log
  bool write = false;              // "scope": "write"
  double expires_at = 0;           // "exp"; 0 when the token has none
};

struct JwtPolicy {
  // Accept tokens without "exp" (they never expire). Off by default.
  bool allow_no_exp = false;
};

class JwtCodec {
 public:
  explicit JwtCodec(std::string secret, JwtPolicy policy = {}) : m_secret(std::move(secret)), m_policy(policy) {}

  bool configured() const { return !m_secret.empty(); }

  // Errors: `unauthorized` with codes "jwt_not_configured", "invalid_token",
  // "token_expired", "token_not_yet_valid", "token_without_exp",
  // "unsupported_algorithm". Messages speak of "the JWT" and do not say
  // where it came from; the Authenticator adds that.
  Result<JwtGrant> verify(std::string_view token, std::time_t now) const;

  // Mints a token for `files` (or every file) valid for `ttl`, always with
  // "exp", and "scope": "write" when `write`. Errors: `invalid_argument`
  // for a `ttl` that is not positive.
  Result<std::string> mint(const std::vector<std::string>& files, bool all_files, std::chrono::seconds ttl,
                           std::time_t now, const std::string& subject, bool write = false) const;

 private:
  std::string m_secret;
  JwtPolicy m_policy;
};

}  // namespace frameserve::auth
