#include "http/access_log.hpp"

#include <atomic>

#include "auth/crypto.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "common/text.hpp"

namespace frameserve::http {

RequestRecord& current_request() {
  thread_local RequestRecord record;
  return record;
}

namespace {
// 16 random hex digits; should the system's random source fail, a process
// counter still keeps ids distinct within this run.
std::string make_request_id() {
  if (auto bytes = auth::random_bytes(8)) {
    return hex_encode(reinterpret_cast<const unsigned char*>(bytes->data()), bytes->size());
  }
  static std::atomic<uint64_t> counter{0};
  return "fs-" + std::to_string(counter.fetch_add(1) + 1);
}

bool is_ip_address(std::string_view text) { return IpNetwork::parse(text).has_value() && text.find('/') == text.npos; }
}  // namespace

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string client_address(const httplib::Request& req, const std::vector<IpNetwork>& trusted) {
  if (!in_any_network(trusted, req.remote_addr)) return req.remote_addr;
  if (req.has_header("X-Forwarded-For")) {
    // Every proxy appends the peer it saw: walk from the right past our own
    // trusted proxies; the first other address is the client's.
    std::string chain;
    for (size_t i = 0; i < req.get_header_value_count("X-Forwarded-For"); ++i) {
      if (!chain.empty()) chain += ',';
      chain += req.get_header_value("X-Forwarded-For", i);
    }
    std::vector<std::string_view> hops = split(chain, ',');
    std::string leftmost;
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
      std::string_view hop = trim(*it);
      if (!is_ip_address(hop)) break;  // a forged or garbled entry: trust nothing left of it
      leftmost = std::string(hop);
      if (!in_any_network(trusted, hop)) return leftmost;
    }
    return leftmost.empty() ? req.remote_addr : leftmost;
  }
  std::string real_ip(trim(req.get_header_value("X-Real-IP")));
  return is_ip_address(real_ip) ? real_ip : req.remote_addr;
}

void begin_request(const httplib::Request& req, httplib::Response& res, const std::vector<IpNetwork>& trusted) {
  RequestRecord& record = current_request();
  record = RequestRecord{};
  record.started = true;
  record.start = std::chrono::steady_clock::now();
  std::string incoming = req.get_header_value("X-Request-Id");
  record.request_id = is_valid_request_id(incoming) ? incoming : make_request_id();
  record.client = client_address(req, trusted);
  res.set_header("X-Request-Id", record.request_id);
  log::set_thread_context("request_id=" + record.request_id);
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
  // A target is the client's choice: bounded here, escaped by the log writer.
  return log::field(target, k_max_target_bytes);
}

void log_request(const httplib::Request& req, const httplib::Response& res) {
  RequestRecord& record = current_request();
  uint64_t bytes = res.body.empty() ? record.streamed_bytes : res.body.size();
  std::string duration = "-";
  if (record.started) {
    auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - record.start).count();
    duration = std::to_string(micros / 1000) + "." + std::to_string((micros / 100) % 10) + "ms";
  }
  // Everything here but the numbers is the client's choice (the method,
  // the target, a token's subject): each is bounded, and the writer escapes
  // the line, so it stays one line of bounded length.
  std::string line = log::field(req.method, 16) + " " + loggable_target(req) + " " + std::to_string(res.status) + " " +
                     std::to_string(bytes) + "B " + duration + " " +
                     (record.principal.empty() ? "-" : log::field(record.principal)) + " " +
                     (record.client.empty() ? req.remote_addr : record.client);
  if (!record.note.empty()) line += " (" + record.note + ")";
  // The thread's log context appends request_id=… to this line.
  log::info(line);
  auto& m = metrics::get();
  std::string route = record.route.empty() ? "unrouted" : record.route;
  m.http_requests.Add({{"route", route}, {"status", std::to_string(res.status)}}).Increment();
  if (record.started) {
    metrics::observe(m.http_request_seconds, {{"route", route}},
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - record.start).count());
  }
  metrics::unlabelled(m.http_bytes_sent).Increment(static_cast<double>(bytes));
  record = RequestRecord{};
  log::set_thread_context("");
}

}  // namespace frameserve::http
