#include "auth/jwt_codec.hpp"

#include <jwt.h>
#include <rapidjson/document.h>

#include <cmath>
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

// A NumericDate claim (RFC 7519, section 2): seconds since 1970 as any JSON
// number, fractions included. libjwt reads claims as integers only (a
// fractional "exp" came back as 0, i.e. long expired), so the verified
// payload is read here. Returns nullopt when the claim is absent; errors:
// `unauthorized` ("invalid_token") when it is not a finite number.
Result<std::optional<double>> numeric_date(const rapidjson::Document& payload, const char* name) {
  auto it = payload.FindMember(name);
  if (it == payload.MemberEnd()) return std::optional<double>();
  if (!it->value.IsNumber() || !std::isfinite(it->value.GetDouble())) {
    return unauthorized("invalid_token", std::string("the JWT's \"") + name +
                                             "\" claim is not a NumericDate (seconds since 1970 as a JSON number)");
  }
  return std::optional<double>(it->value.GetDouble());
}
}  // namespace

Result<JwtGrant> JwtCodec::verify(std::string_view token, std::time_t now) const {
  if (!configured()) {
    return unauthorized("jwt_not_configured",
                        "this server has no JWT secret configured, so it accepts API keys only");
  }
  std::vector<std::string_view> parts = split(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return unauthorized("invalid_token", "the token is not a JWT (header.payload.signature)");
  }
  auto header_json = base64url_decode(parts[0]);
  auto payload_json = base64url_decode(parts[1]);
  auto signature = base64url_decode(parts[2]);
  if (!header_json || !payload_json || !signature) {
    return unauthorized("invalid_token", "the JWT is not valid base64url");
  }
  rapidjson::Document header;
  header.Parse(header_json->data(), header_json->size());
  if (header.HasParseError() || !header.IsObject()) {
    return unauthorized("invalid_token", "the JWT's header is not JSON");
  }
  auto alg = header.FindMember("alg");
  if (alg == header.MemberEnd() || !alg->value.IsString() || std::string_view(alg->value.GetString()) != "HS256") {
    return unauthorized("unsupported_algorithm", "only HS256 tokens are accepted");
  }

  std::string signing_input(token.substr(0, parts[0].size() + 1 + parts[1].size()));
  if (!constant_time_equals(hmac_sha256(m_secret, signing_input), *signature)) {
    return unauthorized("invalid_token", "the JWT's signature does not match this server's secret");
  }

  jwt_t* raw = nullptr;
  std::string token_text(token);
  int rc = jwt_decode(&raw, token_text.c_str(), reinterpret_cast<const unsigned char*>(m_secret.data()),
                      static_cast<int>(m_secret.size()));
  JwtPtr jwt(raw);
  if (rc != 0 || !jwt || jwt_get_alg(jwt.get()) != JWT_ALG_HS256) {
    return unauthorized("invalid_token", "the JWT could not be verified");
  }

  rapidjson::Document payload;
  payload.Parse(payload_json->data(), payload_json->size());
  if (payload.HasParseError() || !payload.IsObject()) {
    return unauthorized("invalid_token", "the JWT's payload is not a JSON object");
  }
  JwtGrant grant;
  auto exp = numeric_date(payload, "exp");
  if (!exp) return exp.error();
  if (!exp.value()) {
    if (!m_policy.allow_no_exp) {
      return unauthorized("token_without_exp",
                          "the JWT has no \"exp\" claim and would never expire; this server accepts only tokens that "
                          "expire (frameserve token create always sets one)");
    }
  } else {
    if (static_cast<double>(now) >= *exp.value()) return unauthorized("token_expired", "the JWT has expired");
    grant.expires_at = *exp.value();
  }
  auto nbf = numeric_date(payload, "nbf");
  if (!nbf) return nbf.error();
  if (nbf.value() && static_cast<double>(now) < *nbf.value()) {
    return unauthorized("token_not_yet_valid", "the JWT is not valid yet (its \"nbf\" is in the future)");
  }
  if (const char* sub = jwt_get_grant(jwt.get(), "sub")) grant.subject = sub;
  auto scope = payload.FindMember("scope");
  if (scope != payload.MemberEnd()) {
    std::string_view value = scope->value.IsString() ? std::string_view(scope->value.GetString()) : "";
    if (value != "read" && value != "write") {
      return unauthorized("invalid_token", "the JWT's \"scope\" claim must be \"read\" or \"write\"");
    }
    grant.write = value == "write";
  }

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
                                   std::time_t now, const std::string& subject, bool write) const {
  if (!configured()) return invalid_argument("jwt_not_configured", "no JWT secret is configured (--jwt-secret)");
  // A token without an end is refused by default, so never mint one.
  if (ttl.count() <= 0) return invalid_argument("bad_ttl", "a token's lifetime must be at least 1 second");
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
  if (write) claims.field("scope", "write");
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
