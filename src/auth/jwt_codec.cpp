#include "auth/jwt_codec.hpp"

#include <jwt.h>
#include <rapidjson/document.h>
#include <rapidjson/reader.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <unordered_set>

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

// A string value with its length (a JSON string may hold a NUL).
std::string_view text_of(const rapidjson::Value& value) {
  return std::string_view(value.GetString(), value.GetStringLength());
}

// Claims are flat; a few levels cover every claim other issuers put in
// tokens (e.g. {"realm_access":{"roles":[...]}}).
constexpr size_t k_max_depth = 32;

// RapidJSON SAX handler that builds the DOM while refusing what would let
// one token be read two ways: an object naming a member twice (RFC 7519,
// section 4 allows refusing them; taking the first in one place and the last
// in another is what let "scope" and "exp" mean two things) and nesting past
// k_max_depth. `error` says which, for the 401.
class StrictJsonHandler {
 public:
  StrictJsonHandler(rapidjson::Document& doc, std::string_view part) : m_doc(doc), m_part(part) {}

  bool Null() { return m_doc.Null(); }
  bool Bool(bool b) { return m_doc.Bool(b); }
  bool Int(int i) { return m_doc.Int(i); }
  bool Uint(unsigned i) { return m_doc.Uint(i); }
  bool Int64(int64_t i) { return m_doc.Int64(i); }
  bool Uint64(uint64_t i) { return m_doc.Uint64(i); }
  bool Double(double d) { return m_doc.Double(d); }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool copy) { return m_doc.RawNumber(str, length, copy); }
  bool String(const char* str, rapidjson::SizeType length, bool copy) { return m_doc.String(str, length, copy); }
  bool StartObject() { return open() && m_doc.StartObject(); }
  bool Key(const char* str, rapidjson::SizeType length, bool copy) {
    std::string key(str, length);
    if (!m_levels.back().keys.insert(key).second) {
      error = m_levels.size() == 1 ? "the JWT's " + std::string(m_part) + " has " + quote_for_message(key, 40) +
                                         " more than once; each may appear only once"
                                   : "the JWT's " + std::string(m_part) + " names the member " +
                                         quote_for_message(key, 40) + " more than once in one object";
      return false;
    }
    return m_doc.Key(str, length, copy);
  }
  bool EndObject(rapidjson::SizeType count) {
    m_levels.pop_back();
    return m_doc.EndObject(count);
  }
  bool StartArray() { return open() && m_doc.StartArray(); }
  bool EndArray(rapidjson::SizeType count) {
    m_levels.pop_back();
    return m_doc.EndArray(count);
  }

  std::string error;

 private:
  struct Level {
    std::unordered_set<std::string> keys;  // an object's member names; unused for arrays
  };
  bool open() {
    if (m_levels.size() >= k_max_depth) {
      error = "the JWT's " + std::string(m_part) + " nests deeper than " + std::to_string(k_max_depth) + " levels";
      return false;
    }
    m_levels.emplace_back();
    return true;
  }

  rapidjson::Document& m_doc;
  std::string_view m_part;
  std::vector<Level> m_levels;
};

// Parses one part of a token ("header" or "payload") into `doc`, which must
// be a JSON object of valid UTF-8. The parse is iterative (no recursion the
// input can deepen). Errors: `unauthorized` ("invalid_token")
// naming the part and what was wrong with it.
Status parse_part(std::string_view json, std::string_view part, rapidjson::Document& doc) {
  std::string what = "the JWT's " + std::string(part);
  // RapidJSON takes a NUL for the end of its input: a raw NUL (never valid
  // JSON) would hide whatever follows it. UTF-8 is checked here, not by
  // RapidJSON 1.1's kParseValidateEncodingFlag, which reads past the end of
  // the input on a sequence cut short there (found by fuzz_jwt).
  if (json.find('\0') != std::string_view::npos || !is_valid_utf8(json)) {
    return unauthorized("invalid_token", what + " is not JSON (UTF-8)");
  }
  std::string text(json);
  std::string refused;
  rapidjson::ParseResult parsed;
  auto generate = [&](rapidjson::Document& target) {
    StrictJsonHandler handler(target, part);
    rapidjson::Reader reader;
    rapidjson::StringStream stream(text.c_str());
    parsed = reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler);
    refused = std::move(handler.error);
    return !parsed.IsError();
  };
  doc.Populate(generate);
  if (!refused.empty()) return unauthorized("invalid_token", refused);
  if (parsed.IsError()) return unauthorized("invalid_token", what + " is not JSON (UTF-8)");
  if (!doc.IsObject()) return unauthorized("invalid_token", what + " is not a JSON object");
  return Status();
}

// A NumericDate claim (RFC 7519, section 2): seconds since 1970 as any JSON
// number, fractions included. Returns nullopt when the claim is absent;
// errors: `unauthorized` ("invalid_token") when it is not a finite number.
Result<std::optional<double>> numeric_date(const rapidjson::Document& payload, const char* name) {
  auto it = payload.FindMember(name);
  if (it == payload.MemberEnd()) return std::optional<double>();
  if (!it->value.IsNumber() || !std::isfinite(it->value.GetDouble())) {
    return unauthorized("invalid_token", std::string("the JWT's \"") + name +
                                             "\" claim is not a NumericDate (seconds since 1970 as a JSON number)");
  }
  return std::optional<double>(it->value.GetDouble());
}

// The "files" claim: an array of file_uuids (a "*" among them, or the
// string "*" alone, grants every file). Anything else is refused rather than
// read as "no files", so an issuer's mistake is seen at once.
Status read_files(const rapidjson::Document& payload, JwtGrant& grant) {
  auto files = payload.FindMember("files");
  if (files == payload.MemberEnd()) return Status();
  const auto& value = files->value;
  if (value.IsString() && text_of(value) == "*") {
    grant.all_files = true;
    return Status();
  }
  Error not_array = unauthorized(
      "invalid_token", "the JWT's \"files\" claim must be an array of file_uuids (strings), or \"*\" for every file");
  if (!value.IsArray()) return not_array;
  for (const auto& item : value.GetArray()) {
    if (!item.IsString()) return not_array;
    std::string_view file = text_of(item);
    if (file == "*")
      grant.all_files = true;
    else
      grant.files.push_back(to_lower_ascii(file));
  }
  return Status();
}
}  // namespace

Result<JwtGrant> JwtCodec::verify(std::string_view token, std::time_t now) const {
  if (!configured()) {
    return unauthorized("jwt_not_configured", "this server has no JWT secret configured, so it accepts API keys only");
  }
  std::vector<std::string_view> parts = split(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return unauthorized("invalid_token", "the token is not a JWT (header.payload.signature)");
  }
  auto header_json = base64url_decode(parts[0]);
  if (!header_json) return unauthorized("invalid_token", "the JWT is not valid base64url");
  rapidjson::Document header;
  if (Status parsed = parse_part(*header_json, "header", header); !parsed) return parsed.error();
  auto alg = header.FindMember("alg");
  if (alg == header.MemberEnd() || !alg->value.IsString() || text_of(alg->value) != "HS256") {
    return unauthorized("unsupported_algorithm", "only HS256 tokens are accepted");
  }
  auto typ = header.FindMember("typ");
  if (typ != header.MemberEnd() && (!typ->value.IsString() || !iequals(text_of(typ->value), "JWT"))) {
    return unauthorized("invalid_token", "the JWT's \"typ\" header must be \"JWT\" when present");
  }
  if (header.HasMember("crit")) {
    return unauthorized("invalid_token",
                        "the JWT's header has \"crit\": this server understands no critical extension, so it must "
                        "refuse the token (RFC 7515, section 4.1.11); issue it without \"crit\"");
  }

  // The one verification: HMAC-SHA256 by OpenSSL over header.payload,
  // compared in constant time with the signature as written. Comparing the
  // base64url text (not the decoded bytes) accepts only its one canonical
  // spelling. Nothing of the payload is parsed before this.
  std::string_view signing_input = token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (!constant_time_equals(base64url_encode(hmac_sha256(m_secret, signing_input)), parts[2])) {
    return unauthorized("invalid_token", "the JWT's signature does not match this server's secret");
  }

  auto payload_json = base64url_decode(parts[1]);
  if (!payload_json) return unauthorized("invalid_token", "the JWT is not valid base64url");
  rapidjson::Document payload;
  if (Status parsed = parse_part(*payload_json, "payload", payload); !parsed) return parsed.error();
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
  auto sub = payload.FindMember("sub");
  if (sub != payload.MemberEnd()) {
    if (!sub->value.IsString()) return unauthorized("invalid_token", "the JWT's \"sub\" claim must be a string");
    grant.subject = std::string(text_of(sub->value));
  }
  auto scope = payload.FindMember("scope");
  if (scope != payload.MemberEnd()) {
    std::string_view value = scope->value.IsString() ? text_of(scope->value) : "";
    if (value != "read" && value != "write") {
      return unauthorized("invalid_token", "the JWT's \"scope\" claim must be \"read\" or \"write\"");
    }
    grant.write = value == "write";
  }
  if (Status files = read_files(payload, grant); !files) return files.error();
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
