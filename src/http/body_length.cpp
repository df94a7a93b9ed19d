#include "http/body_length.hpp"

#include <string>

#include "common/text.hpp"

namespace frameserve::http {

bool announced_body_beyond(const httplib::Request& req, int64_t cap) {
  if (!req.has_header("Content-Length")) return false;
  std::string text = req.get_header_value("Content-Length");
  if (auto length = parse_int64(text)) return *length > cap;
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace frameserve::http
