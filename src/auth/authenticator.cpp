#include "auth/authenticator.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace frameserve::auth {

Result<Principal> Authenticator::authenticate(const Credentials& credentials, std::time_t now) const {
  if (credentials.api_key) {
    auto parts = parse_api_key(*credentials.api_key);
    if (!parts) {
      return make_error(ErrorKind::unauthorized, "invalid_api_key",
                        "the X-API-Key header does not hold a frameserve key (fsk_...)");
    }
    auto all = m_keys.verify(*parts);
    if (!all) return all.error();
    Principal p;
    p.kind = Principal::Kind::api_key;
    p.id = parts->key_id;
    p.all_files = all.value();
    return p;
  }
  if (credentials.bearer) {
    auto grant = m_jwt.verify(*credentials.bearer, now);
    if (!grant) return grant.error();
    Principal p;
    p.kind = Principal::Kind::jwt;
    p.id = grant->subject.empty() ? "-" : grant->subject;
    p.all_files = grant->all_files;
    p.jwt_files = std::move(grant->files);
    return p;
  }
  return make_error(ErrorKind::unauthorized, "missing_credentials",
                    "send an API key in X-API-Key or a JWT in Authorization: Bearer");
}

Status Authenticator::authorize(const Principal& principal, const std::string& file_uuid) const {
  if (principal.all_files) return Status();
  bool covered = false;
  if (principal.kind == Principal::Kind::jwt) {
    covered = std::find(principal.jwt_files.begin(), principal.jwt_files.end(), file_uuid) !=
              principal.jwt_files.end();
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
