// API keys: "fsk_<key_id>_<secret>".
//
// The key_id (12 hex digits) is public and finds the row; only the SHA-256
// of the secret (32 random bytes, hex) is stored. Verification compares
// digests in constant time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace frameserve::auth {

struct ApiKeyParts {
  std::string key_id;
  std::string secret;
};

struct GeneratedApiKey {
  ApiKeyParts parts;
  std::string secret_sha256;  // raw digest, what the database stores
  std::string token() const { return "fsk_" + parts.key_id + "_" + parts.secret; }
};

// Errors: `internal` if the random source fails.
Result<GeneratedApiKey> generate_api_key();

// Splits a presented key; nullopt when it does not have the key shape.
std::optional<ApiKeyParts> parse_api_key(std::string_view token);

}  // namespace frameserve::auth
