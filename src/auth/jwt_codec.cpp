#include "auth/jwt_codec.hpp"

#include <jwt.h>
#include <rapidjson/document.h>

#include <cerrno>
#include <cstdlib>
#include <memory>

#include "auth/crypto.hpp"
#include "common/json_writer.hpp"
#include "common/text.hpp"

namespace frameserve::auth {

namespace {
Error unauthorized(std::string code, std::string message) {
  return make_error(ErrorKind::unauthorized, std::move(code), std::move(message));
}

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

struct CharFree {
  void operator()(char* p) const { std::free(p); }
};
}  // namespace

Result<JwtGrant> JwtCodec::verify(std::string_view token, std::time_t now) const {
  if (!configured()) {
    return unauthorized("jwt_not_configured",
                        "this server has no JWT secret configured; use an X-API-Key instead");
  }
  std::vector<std::string_view> parts = split(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return unauthorized("invalid_token", "the bearer token is not a JWT (header.payload.signature)");
  }
  auto header_json = base64url_decode(parts[0]);
  auto signature = base64url_decode(parts[2]);
  if (!header_json || !signature) {
    return unauthorized("invalid_token", "the bearer token is not valid base64url");
  }
  rapidjson::Document header;
  header.Parse(header_json->data(), header_json->size());
  if (header.HasParseError() || !header.IsObject()) {
    return unauthorized("invalid_token", "the bearer token's header is not JSON");
  }
  auto alg = header.FindMember("alg");
  if (alg == header.MemberEnd() || !alg->value.IsString() || std::string_view(alg->value.GetString()) != "HS256") {
    return unauthorized("unsupported_algorithm", "only HS256 tokens are accepted");
  }

  std::string signing_input(token.substr(0, parts[0].size() + 1 + parts[1].size()));
  if (!constant_time_equals(hmac_sha256(m_secret, signing_input), *signature)) {
    return unauthorized("invalid_token", "the bearer token's signature does not match");
  }

  jwt_t* raw = nullptr;
  std::string token_text(token);
  int rc = jwt_decode(&raw, token_text.c_str(), reinterpret_cast<const unsigned char*>(m_secret.data()),
                      static_cast<int>(m_secret.size()));
  JwtPtr jwt(raw);
  if (rc != 0 || !jwt || jwt_get_alg(jwt.get()) != JWT_ALG_HS256) {
    return unauthorized("invalid_token", "the bearer token could not be verified");
  }

  JwtGrant grant;
  errno = 0;
  long exp = jwt_get_grant_int(jwt.get(), "exp");
  if (errno != ENOENT) {
    if (exp <= 0 || now >= exp) return unauthorized("token_expired", "the bearer token has expired");
    grant.expires_at = exp;
  }
  errno = 0;
  long nbf = jwt_get_grant_int(jwt.get(), "nbf");
  if (errno != ENOENT && now < nbf) {
    return unauthorized("token_not_yet_valid", "the bearer token is not valid yet (nbf)");
  }
  if (const char* sub = jwt_get_grant(jwt.get(), "sub")) grant.subject = sub;

  std::unique_ptr<char, CharFree> files_json(jwt_get_grants_json(jwt.get(), "files"));
  if (files_json) {
    rapidjson::Document files;
    files.Parse(files_json.get());
    if (files.IsString() && std::string_view(files.GetString()) == "*") {
      grant.all_files = true;
    } else if (files.IsArray()) {
      for (const auto& item : files.GetArray()) {
        if (!item.IsString()) continue;
        std::string_view value(item.GetString(), item.GetStringLength());
        if (value == "*") grant.all_files = true;
        else grant.files.push_back(to_lower_ascii(value));
      }
    }
  }
  return grant;
}

Result<std::string> JwtCodec::mint(const std::vector<std::string>& files, bool all_files, std::chrono::seconds ttl,
                                   std::time_t now, const std::string& subject) const {
  if (!configured()) return invalid_argument("jwt_not_configured", "no JWT secret is configured (--jwt-secret)");
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return internal_error("libjwt could not allocate a token");
  JwtPtr jwt(raw);
  JsonWriter claims;
  claims.begin_object().key("files");
  if (all_files) {
    claims.string("*");
  } else {
    claims.begin_array();
    for (const std::string& f : files) claims.string(f);
    claims.end_array();
  }
  claims.end_object();
  bool ok = jwt_add_grants_json(jwt.get(), claims.str().c_str()) == 0 &&
            jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(now)) == 0 &&
            jwt_add_grant_int(jwt.get(), "exp", static_cast<long>(now + ttl.count())) == 0 &&
            (subject.empty() || jwt_add_grant(jwt.get(), "sub", subject.c_str()) == 0) &&
            jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(m_secret.data()),
                        static_cast<int>(m_secret.size())) == 0;
  if (!ok) return internal_error("libjwt could not build the token");
  std::unique_ptr<char, CharFree> encoded(jwt_encode_str(jwt.get()));
  if (!encoded) return internal_error("libjwt could not encode the token");
  return std::string(encoded.get());
}

}  // namespace frameserve::auth
