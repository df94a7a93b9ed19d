// Paging parameters shared by every listing: `limit` and the opaque
// `cursor`, and the `next_cursor` a page hands back.
//
// A cursor is base64url("<list>:<key>"): the list it belongs to and the last
// key of the page it ends (the keyset the next query starts after). Clients
// must treat it as opaque; frameserve checks that a cursor belongs to the
// list it is sent to, so a cursor of /files sent to /traces is a 400, not a
// silent restart.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/json_writer.hpp"
#include "common/result.hpp"
#include "http/query_params.hpp"

namespace frameserve::http {

struct PageParams {
  int limit = 0;
  std::optional<std::string> after;  // the key decoded from `cursor`
};

// Reads `limit` (1 to 1000, default 100) and `cursor` for list `list`.
// Errors: `invalid_argument` — "invalid_parameter" for a bad limit (the
// message gives the valid range), "bad_cursor" for a cursor that is not one
// this list issued.
Result<PageParams> read_page_params(const QueryParams& query, std::string_view list);

// The cursor that continues list `list` after `key`.
std::string encode_cursor(std::string_view list, std::string_view key);

// Writes "next_cursor": the cursor after `last_key` when another page
// follows, else null.
void write_next_cursor(JsonWriter& w, std::string_view list, bool more, const std::string& last_key);

// Sends a page as a 200 JSON answer that no cache keeps: listings change
// with every registration and import.
void send_page(httplib::Response& res, const std::string& body);

// The error for a cursor whose key does not parse (for lists whose keys
// have more structure than read_page_params checks).
Error bad_cursor(std::string_view list);

}  // namespace frameserve::http
