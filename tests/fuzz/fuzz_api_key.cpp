// libFuzzer harness for API-key parsing (auth::parse_api_key), the first
// thing done with an X-API-Key header or an ?access_token= starting "fsk_".
// A key that parses must be exactly "fsk_<12 hex>_<64 hex>" and print back
// as the same text; anything else must be refused.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/api_key.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto parts = frameserve::auth::parse_api_key(token);
  if (!parts) return 0;
  if (parts->key_id.size() != 12 || parts->secret.size() != 64) std::abort();
  frameserve::auth::GeneratedApiKey key;
  key.parts = *parts;
  if (key.token() != token) std::abort();
  return 0;
}
