#include "auth/api_key.hpp"

#include "auth/crypto.hpp"
#include "common/text.hpp"

namespace frameserve::auth {

namespace {
constexpr size_t k_id_bytes = 6;       // 12 hex digits
constexpr size_t k_secret_bytes = 32;  // 64 hex digits

bool all_lower_hex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}
}  // namespace

Result<GeneratedApiKey> generate_api_key() {
  auto id = random_bytes(k_id_bytes);
  auto secret = random_bytes(k_secret_bytes);
  if (!id || !secret) return internal_error("the system random source failed");
  GeneratedApiKey key;
  key.parts.key_id = hex_encode(reinterpret_cast<const unsigned char*>(id->data()), id->size());
  key.parts.secret = hex_encode(reinterpret_cast<const unsigned char*>(secret->data()), secret->size());
  key.secret_sha256 = sha256(key.parts.secret);
  return key;
}

std::optional<ApiKeyParts> parse_api_key(std::string_view token) {
  constexpr std::string_view k_prefix = "fsk_";
  if (token.size() != k_prefix.size() + k_id_bytes * 2 + 1 + k_secret_bytes * 2) return std::nullopt;
  if (token.substr(0, k_prefix.size()) != k_prefix) return std::nullopt;
  std::string_view id = token.substr(k_prefix.size(), k_id_bytes * 2);
  if (token[k_prefix.size() + id.size()] != '_') return std::nullopt;
  std::string_view secret = token.substr(k_prefix.size() + id.size() + 1);
  if (!all_lower_hex(id) || !all_lower_hex(secret)) return std::nullopt;
  return ApiKeyParts{std::string(id), std::string(secret)};
}

}  // namespace frameserve::auth
