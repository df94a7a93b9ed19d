// JwtCodec: verifies and mints HS256 JSON Web Tokens with a shared secret.
//
// A token grants access to files through its "files" claim: an array of
// file_uuids, or the string "*" for every file. "exp" and "nbf" are honoured.
// Only HS256 is accepted — "none", other HMAC sizes and public-key
// algorithms are rejected before any other processing.
//
// Verification is done by libjwt, after frameserve checks the header's alg
// and the HMAC itself with OpenSSL in constant time.
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
  int64_t expires_at = 0;          // 0 when the token has no "exp"
};

class JwtCodec {
 public:
  explicit JwtCodec(std::string secret) : m_secret(std::move(secret)) {}

  bool configured() const { return !m_secret.empty(); }

  // Errors: `unauthorized` with codes "invalid_token", "token_expired",
  // "token_not_yet_valid", "unsupported_algorithm".
  Result<JwtGrant> verify(std::string_view token, std::time_t now) const;

  // Mints a token for `files` (or every file) valid for `ttl`.
  Result<std::string> mint(const std::vector<std::string>& files, bool all_files, std::chrono::seconds ttl,
                           std::time_t now, const std::string& subject) const;

 private:
  std::string m_secret;
};

}  // namespace frameserve::auth
