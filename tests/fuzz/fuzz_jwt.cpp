// libFuzzer harness for JWT verification (auth::JwtCodec::verify).
//
// The first byte picks the shape of the rest:
//  - even: the rest is the token as presented (Authorization: Bearer …);
//    almost all of these die at the structure, base64url or HMAC check.
//  - odd: the rest is "HEADER\nPAYLOAD" (JSON text or anything else), which
//    the harness signs with the server's secret, so the fuzzer reaches what
//    only a holder of the secret could: the payload's strict parse (no
//    duplicate members, bounded depth) and the claims (exp, nbf, sub, scope,
//    files).
// A successful verification must grant something coherent; a failure must
// be `unauthorized` with a message.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "auth/crypto.hpp"
#include "auth/jwt_codec.hpp"

using namespace frameserve;

namespace {
const auth::JwtCodec& codec() {
  static const auth::JwtCodec k_codec("fuzzing-secret-not-used-anywhere-else");
  return k_codec;
}
constexpr std::time_t k_now = 1767225600;  // 2026-01-01, fixed: runs are reproducible
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  bool sign = data[0] & 1;
  std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string token;
  if (sign) {
    size_t newline = rest.find('\n');
    std::string header = rest.substr(0, newline);
    std::string payload = newline == std::string::npos ? std::string() : rest.substr(newline + 1);
    std::string signing_input = auth::base64url_encode(header) + "." + auth::base64url_encode(payload);
    token = signing_input + "." +
            auth::base64url_encode(auth::hmac_sha256("fuzzing-secret-not-used-anywhere-else", signing_input));
  } else {
    token = rest;
  }

  auto grant = codec().verify(token, k_now);
  if (!grant) {
    if (grant.error().kind != ErrorKind::unauthorized || grant.error().message.empty()) std::abort();
    return 0;
  }
  if (grant.value().expires_at != 0 && grant.value().expires_at <= k_now) std::abort();
  for (const std::string& file : grant.value().files) {
    for (char c : file) {
      if (c >= 'A' && c <= 'Z') std::abort();  // file_uuids are lowercased
    }
  }
  return 0;
}
