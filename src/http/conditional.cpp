#include "http/conditional.hpp"

#include <cstdio>
#include <cstring>

#include "common/text.hpp"

namespace frameserve::http {

std::string http_date(std::time_t time) {
  std::tm tm_utc{};
  gmtime_r(&time, &tm_utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm_utc);
  return buffer;
}

std::optional<std::time_t> parse_http_date(std::string_view text) {
  std::tm tm_utc{};
  std::string copy(trim(text));
  const char* end = strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm_utc);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return timegm(&tm_utc);
}

namespace {
std::string_view strip_weak(std::string_view tag) {
  if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
  return tag;
}
}  // namespace

bool not_modified(std::optional<std::string_view> if_none_match, std::optional<std::string_view> if_modified_since,
                  const Validators& validators) {
  if (if_none_match) {
    for (std::string_view candidate : split(*if_none_match, ',')) {
      candidate = trim(candidate);
      if (candidate == "*") return true;
      if (strip_weak(candidate) == strip_weak(validators.etag)) return true;
    }
    return false;  // If-Modified-Since is ignored when If-None-Match is present
  }
  if (if_modified_since && !validators.last_modified.empty()) {
    auto since = parse_http_date(*if_modified_since);
    auto modified = parse_http_date(validators.last_modified);
    return since && modified && *modified <= *since;
  }
  return false;
}

bool if_range_matches(std::optional<std::string_view> if_range, const Validators& validators) {
  if (!if_range) return true;
  std::string_view value = trim(*if_range);
  if (value.substr(0, 2) == "W/") return false;  // weak tags never match If-Range
  if (!value.empty() && value.front() == '"') return value == validators.etag;
  return !validators.last_modified.empty() && value == validators.last_modified;
}

}  // namespace frameserve::http
