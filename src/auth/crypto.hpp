// Thin wrappers over OpenSSL for the few primitives frameserve needs.
// Nothing here implements cryptography itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace frameserve::auth {

// Raw 32-byte SHA-256 digest.
std::string sha256(std::string_view data);
// Raw 32-byte HMAC-SHA256.
std::string hmac_sha256(std::string_view key, std::string_view data);
// Equality that takes the same time wherever the inputs differ (CRYPTO_memcmp).
// Inputs of different lengths compare unequal; lengths are not secret here.
bool constant_time_equals(std::string_view a, std::string_view b);
// Cryptographically secure random bytes (RAND_bytes); nullopt on failure.
std::optional<std::string> random_bytes(size_t count);

std::string base64url_encode(std::string_view data);
// Strict: only the URL-safe alphabet, no padding. nullopt otherwise.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace frameserve::auth
