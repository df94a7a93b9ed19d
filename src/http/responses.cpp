#include "http/responses.hpp"

#include "common/json_writer.hpp"
#include "http/conditional.hpp"

namespace frameserve::http {

void send_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

void send_error(httplib::Response& res, const Error& error) {
  // A media handler may have set its success headers before the job failed
  // (an ffmpeg failure before the first byte): an error must not carry a
  // public cache lifetime, a validator or a download name of what it is not.
  for (const char* header : {"Cache-Control", "ETag", "Last-Modified", "Content-Disposition"}) {
    res.headers.erase(header);
  }
  send_json(res, http_status_for(error.kind), error_json(error.code, error.message));
  if (error.kind == ErrorKind::unavailable) {
    res.set_header("Retry-After", std::to_string(error.retry_after_secs > 0 ? error.retry_after_secs : 1));
  }
  if (error.kind == ErrorKind::unauthorized) {
    res.set_header("WWW-Authenticate", "Bearer");
  }
  // Errors must not be cached by the shared caches in front of us.
  res.set_header("Cache-Control", "no-store");
}

void set_public_day_cache(httplib::Response& res) { res.set_header("Cache-Control", "public, max-age=86400"); }

bool answer_not_modified(const httplib::Request& req, httplib::Response& res, const std::string& etag) {
  if (!req.has_header("If-None-Match")) return false;
  std::string if_none_match = req.get_header_value("If-None-Match");
  if (!not_modified(std::string_view(if_none_match), std::nullopt, Validators{etag, ""})) return false;
  res.status = 304;
  res.set_header("ETag", etag);
  return true;
}

}  // namespace frameserve::http
