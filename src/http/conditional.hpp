// Validators and conditional requests (RFC 9110 §13): ETag/Last-Modified,
// If-None-Match / If-Modified-Since (-> 304) and If-Range.
// Pure functions over header values.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace frameserve::http {

struct Validators {
  std::string etag;           // strong, quoted: "\"3e8-1a2b\""
  std::string last_modified;  // IMF-fixdate; empty when not applicable
};

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
std::string http_date(std::time_t time);
std::optional<std::time_t> parse_http_date(std::string_view text);

// True when the client's cached copy is current and 304 is the answer.
// If-None-Match (weak comparison) takes precedence over If-Modified-Since.
bool not_modified(std::optional<std::string_view> if_none_match, std::optional<std::string_view> if_modified_since,
                  const Validators& validators);

// True when a Range header may be honoured: no If-Range, or one that matches
// the current representation (strong ETag comparison or exact date).
bool if_range_matches(std::optional<std::string_view> if_range, const Validators& validators);

}  // namespace frameserve::http
