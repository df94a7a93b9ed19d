#include "hls/segment_uri.hpp"

#include <string_view>

#include "common/text.hpp"

namespace frameserve::hls {

std::string segment_uri(const std::string& path, const std::string& target, const std::string& revision,
                        int64_t index) {
  std::string name = path.substr(path.rfind('/') + 1);
  auto question = target.find('?');
  std::string query;
  if (question != std::string::npos) {
    std::string_view rest(target);
    rest.remove_prefix(question + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      std::string_view item = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      std::string_view item_name = item.substr(0, item.find('='));
      if (item.empty() || item_name == "rev" || item_name == "segment") continue;
      if (!query.empty()) query += '&';
      query += item;
    }
  }
  // ".ts" at the end: ffmpeg's HLS client refuses segment URLs whose
  // extension is not a media one.
  return name + "?" + query + (query.empty() ? "" : "&") + "rev=" + revision + "&segment=" + std::to_string(index) +
         ".ts";
}

Result<int64_t> parse_segment_number(const std::string& text, size_t count) {
  std::string number = text;
  if (number.size() > 3 && number.compare(number.size() - 3, 3, ".ts") == 0) number.resize(number.size() - 3);
  auto index = parse_int64(number);
  if (!index || *index < 0 || *index >= static_cast<int64_t>(count)) {
    return invalid_argument("bad_segment", "segment must be a segment number of this playlist, 0 to " +
                                               std::to_string(static_cast<int64_t>(count) - 1) + " (N or N.ts; got " +
                                               quote_for_message(text) + ")");
  }
  return *index;
}

}  // namespace frameserve::hls
