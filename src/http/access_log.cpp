#include "http/access_log.hpp"

#include "common/log.hpp"

namespace frameserve::http {

RequestRecord& current_request() {
  thread_local RequestRecord record;
  return record;
}

std::string loggable_target(const httplib::Request& req) {
  std::string target = req.path;
  bool first = true;
  for (const auto& [key, value] : req.params) {
    target += first ? '?' : '&';
    first = false;
    target += key;
    target += '=';
    bool secret = key == "access_token" || key == "api_key" || key == "token";
    target += secret ? "***" : value;
  }
  // A target is attacker-controlled: keep the log line a single line.
  for (char& c : target) {
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  }
  if (target.size() > 512) target = target.substr(0, 512) + "...";
  return target;
}

void log_request(const httplib::Request& req, const httplib::Response& res) {
  RequestRecord& record = current_request();
  uint64_t bytes = res.body.empty() ? record.streamed_bytes : res.body.size();
  std::string duration = "-";
  if (record.started) {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                        record.start)
                      .count();
    duration = std::to_string(micros / 1000) + "." + std::to_string((micros / 100) % 10) + "ms";
  }
  std::string line = req.method + " " + loggable_target(req) + " " + std::to_string(res.status) + " " +
                     std::to_string(bytes) + "B " + duration + " " +
                     (record.principal.empty() ? "-" : record.principal) + " " + req.remote_addr;
  if (!record.note.empty()) line += " (" + record.note + ")";
  log::info(line);
  record = RequestRecord{};
}

}  // namespace frameserve::http
