// Access log: one line per request — method, path (secrets removed), status,
// body bytes, duration, who asked, and a note for streams that ended early.
//
// httplib calls its logger on the worker thread right after the response is
// written, so per-request facts (start time, bytes a stream wrote) are kept
// in a thread-local record that the logger reads and resets.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace frameserve::http {

struct RequestRecord {
  bool started = false;
  std::chrono::steady_clock::time_point start;
  uint64_t streamed_bytes = 0;  // bytes written by content providers
  std::string principal;        // "key:…" / "jwt:…"
  std::string note;             // e.g. "client went away"
};

// The record of the request this thread is handling.
RequestRecord& current_request();

// The request target with credentials in the query string masked.
std::string loggable_target(const httplib::Request& req);

// Formats and writes the line, then resets the record.
void log_request(const httplib::Request& req, const httplib::Response& res);

}  // namespace frameserve::http
