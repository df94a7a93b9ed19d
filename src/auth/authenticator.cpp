#include "auth/authenticator.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace frameserve::auth {

namespace {
enum class Source { api_key_header, bearer_header, access_token_query };

std::string source_name(Source source) {
  switch (source) {
    case Source::api_key_header: return "the X-API-Key header";
    case Source::bearer_header: return "the Authorization: Bearer header";
    case Source::access_token_query: return "the access_token query parameter";
  }
  return "";
}

// What would work in the place the client used. A query parameter is all a
// <video src> can send, so it is never told to use a header.
std::string suggestion(Source source, const std::string& code) {
  if (code == "jwt_not_configured") {
    return source == Source::access_token_query ? "put an API key (fsk_...) in ?access_token= instead"
                                                : "send an API key (fsk_...) in the X-API-Key header instead";
  }
  switch (source) {
    case Source::api_key_header: return "send a key made by `frameserve key create` (fsk_...)";
    case Source::bearer_header: return "send a current token made by `frameserve token create`";
    case Source::access_token_query:
      return "put a key made by `frameserve key create` (fsk_...) or a current token made by "
             "`frameserve token create` in ?access_token=";
  }
  return "";
}

// Adds where the credential came from and what to do to a 401. Other errors
// (the database being down) are not the credential's fault and stay as they are.
Result<Principal> name_the_source(Result<Principal> result, Source source) {
  if (result || result.error().kind != ErrorKind::unauthorized) return result;
  Error error = result.error();
  error.message += " (given in " + source_name(source) + "); " + suggestion(source, error.code);
  return error;
}
}  // namespace

Result<Principal> Authenticator::authenticate_key(const std::string& key) const {
  auto parts = parse_api_key(key);
  if (!parts) {
    return make_error(ErrorKind::unauthorized, "invalid_api_key",
                      "this is not a frameserve API key (fsk_, a 12-digit key id, _ and the secret)");
  }
  auto grant = m_keys.verify(*parts);
  if (!grant) return grant.error();
  Principal p;
  p.kind = Principal::Kind::api_key;
  p.id = parts->key_id;
  p.all_files = grant->all_files;
  p.write = grant->write;
  return p;
}

Result<Principal> Authenticator::authenticate_jwt(const std::string& token, std::time_t now) const {
  auto grant = m_jwt.verify(token, now);
  if (!grant) return grant.error();
  Principal p;
  p.kind = Principal::Kind::jwt;
  p.id = grant->subject.empty() ? "-" : grant->subject;
  p.all_files = grant->all_files;
  p.write = grant->write;
  p.jwt_files = std::move(grant->files);
  return p;
}

Result<Principal> Authenticator::authenticate(const Credentials& credentials, std::time_t now) const {
  if (credentials.api_key) return name_the_source(authenticate_key(*credentials.api_key), Source::api_key_header);
  if (credentials.bearer) return name_the_source(authenticate_jwt(*credentials.bearer, now), Source::bearer_header);
  if (credentials.access_token) {
    // API keys have a prefix no JWT can start with (a JWT starts with the
    // base64url of "{").
    const std::string& token = *credentials.access_token;
    bool is_key = token.rfind("fsk_", 0) == 0;
    return name_the_source(is_key ? authenticate_key(token) : authenticate_jwt(token, now), Source::access_token_query);
  }
  return make_error(ErrorKind::unauthorized, "missing_credentials",
                    "send an API key in X-API-Key or a JWT in Authorization: Bearer (a <video src> can put either "
                    "in ?access_token=)");
}

Status Authenticator::authorize(const Principal& principal, const std::string& file_uuid) const {
  if (principal.all_files) return Status();
  bool covered = false;
  if (principal.kind == Principal::Kind::jwt) {
    covered = std::find(principal.jwt_files.begin(), principal.jwt_files.end(), file_uuid) != principal.jwt_files.end();
  } else {
    auto r = m_keys.covers(principal.id, file_uuid);
    if (!r) return r.error();
    covered = r.value();
  }
  if (!covered) {
    return make_error(ErrorKind::forbidden, "file_not_covered",
                      "these credentials do not grant access to file " + file_uuid);
  }
  return Status();
}

Status Authenticator::require_write(const Principal& principal) {
  if (principal.write) return Status();
  return make_error(ErrorKind::forbidden, "insufficient_scope",
                    std::string("this needs the write scope and these credentials have only read: use a key made "
                                "with `frameserve key create --write` or a JWT with \"scope\": \"write\" ") +
                        "(`frameserve token create --write`)");
}

Result<std::optional<std::vector<std::string>>> Authenticator::visible_files(const Principal& principal) const {
  using Visible = std::optional<std::vector<std::string>>;
  if (principal.all_files) return Visible();
  if (principal.kind == Principal::Kind::jwt) {
    // A claim entry that is not a file_uuid can never match a file; leaving
    // it out keeps the database's uuid[] parameter well-formed.
    std::vector<std::string> files;
    for (const std::string& f : principal.jwt_files) {
      if (is_file_uuid(f)) files.push_back(f);
    }
    return Visible(std::move(files));
  }
  auto files = m_keys.files_of(principal.id);
  if (!files) return files.error();
  return Visible(std::move(files.value()));
}

}  // namespace frameserve::auth
