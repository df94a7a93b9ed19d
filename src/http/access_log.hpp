// Access log: one line per request — method, path (secrets removed), status,
// body bytes, duration, who asked, the client's address, the request id,
// and a note for streams that ended early. What the client chose (method,
// target, a token's subject) is bounded in length, and the log writer escapes
// every line, so a request can never write a second line.
//
// httplib calls its logger on the worker thread right after the response is
// written, so per-request facts (start time, bytes a stream wrote) are kept
// in a thread-local record that the logger reads and resets. The request id
// is also set as the thread's log context, so every line written while the
// request is handled (its ffmpeg children's failures included) carries it.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_network.hpp"

namespace frameserve::http {

struct RequestRecord {
  bool started = false;
  std::chrono::steady_clock::time_point start;
  uint64_t streamed_bytes = 0;  // bytes written by content providers
  std::string principal;        // "key:…" / "jwt:…"
  std::string note;             // e.g. "client went away"
  std::string request_id;       // kept from X-Request-Id or made here
  std::string client;           // the client's address (see client_address)
  std::string route;            // the route's template (metrics label); empty: unrouted
};

// The record of the request this thread is handling.
RequestRecord& current_request();

// Starts the record of a new request: its clock, its request id (echoed in
// the response's X-Request-Id and set as the thread's log context) and its
// client address. Never fails.
void begin_request(const httplib::Request& req, httplib::Response& res, const std::vector<IpNetwork>& trusted);

// True for an X-Request-Id worth keeping: 1 to 128 of [A-Za-z0-9._-].
bool is_valid_request_id(std::string_view id);

// The client's address: the direct peer, unless the peer is a trusted proxy;
// then the rightmost X-Forwarded-For entry that is not itself trusted (or
// X-Real-IP without X-Forwarded-For). Values that are not IP addresses are
// ignored, so a forged header cannot put arbitrary text in the log.
std::string client_address(const httplib::Request& req, const std::vector<IpNetwork>& trusted);

// The longest request target the log keeps, in bytes.
constexpr size_t k_max_target_bytes = 512;

// The request target with credentials in the query string masked, bounded
// to k_max_target_bytes (log::field); the log writer escapes it.
std::string loggable_target(const httplib::Request& req);

// Formats and writes the line, counts the request in the metrics (by route
// template and status, duration, bytes), then resets the record and the log
// context.
void log_request(const httplib::Request& req, const httplib::Response& res);

}  // namespace frameserve::http
