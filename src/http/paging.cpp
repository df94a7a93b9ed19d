#include "http/paging.hpp"

#include "auth/crypto.hpp"
#include "discovery/discovery_service.hpp"
#include "http/responses.hpp"

namespace frameserve::http {

Error bad_cursor(std::string_view list) {
  return invalid_argument("bad_cursor", "cursor is not one this " + std::string(list) +
                                            " list issued; pass the next_cursor of the previous page unchanged, "
                                            "or leave cursor out to start at the beginning");
}

Result<PageParams> read_page_params(const QueryParams& query, std::string_view list) {
  PageParams page;
  auto limit = query.integer("limit", 1, discovery::k_max_page_limit);
  if (!limit) return limit.error();
  page.limit = static_cast<int>(limit.value().value_or(discovery::k_default_page_limit));

  auto cursor = query.text("cursor");
  if (!cursor) return cursor.error();
  if (!cursor.value()) return page;
  auto decoded = auth::base64url_decode(*cursor.value());
  std::string prefix = std::string(list) + ":";
  if (!decoded || decoded->size() <= prefix.size() || decoded->compare(0, prefix.size(), prefix) != 0) {
    return bad_cursor(list);
  }
  page.after = decoded->substr(prefix.size());
  return page;
}

std::string encode_cursor(std::string_view list, std::string_view key) {
  return auth::base64url_encode(std::string(list) + ":" + std::string(key));
}

void send_page(httplib::Response& res, const std::string& body) {
  res.set_header("Cache-Control", "no-store");
  send_json(res, 200, body);
}

void write_next_cursor(JsonWriter& w, std::string_view list, bool more, const std::string& last_key) {
  w.key("next_cursor");
  if (more)
    w.string(encode_cursor(list, last_key));
  else
    w.null();
}

}  // namespace frameserve::http
