// Result<T>: the value of an operation that can fail in an expected way.
//
// Expected failures (bad input, not found, ffmpeg exited non-zero, database
// unavailable) travel as values so that every caller sees them in the type.
// Exceptions are reserved for the unexpected and are caught once per entry
// point (an HTTP handler wrapper, the CLI's main).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace frameserve {

// The broad class of a failure. Entry points map it to an HTTP status or a
// CLI exit code; code deep in the stack only says what went wrong.
enum class ErrorKind {
  invalid_argument,       // 400: the caller sent something we cannot use
  unauthorized,           // 401: no credentials, or credentials we reject
  forbidden,              // 403: valid credentials that do not cover the resource
  not_found,              // 404
  conflict,               // 409: e.g. a file registered twice, or replaced on disk
  gone,                   // 410: a registered file no longer on disk
  payload_too_large,      // 413: a request body beyond the server's cap
  range_not_satisfiable,  // 416
  unprocessable,          // 422: a valid request the file's own bytes cannot answer (a frame that does not decode)
  not_implemented,        // 501
  unavailable,            // 503: database down, job queue full
  tool_failed,            // 500: ffmpeg/ffprobe failed
  internal,               // 500: a bug or an environment problem
};

// A failure: `code` is stable and machine-readable (snake_case), `message`
// is for people and says what was wrong and what would be valid.
struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string code;
  std::string message;
  // For `unavailable`: how long a client should wait before retrying.
  int retry_after_secs = 0;
};

inline Error make_error(ErrorKind kind, std::string code, std::string message) {
  return Error{kind, std::move(code), std::move(message), 0};
}
inline Error invalid_argument(std::string code, std::string message) {
  return make_error(ErrorKind::invalid_argument, std::move(code), std::move(message));
}
inline Error not_found(std::string code, std::string message) {
  return make_error(ErrorKind::not_found, std::move(code), std::move(message));
}
inline Error internal_error(std::string message) {
  return make_error(ErrorKind::internal, "internal_error", std::move(message));
}
inline Error unavailable(std::string code, std::string message, int retry_after_secs) {
  Error e = make_error(ErrorKind::unavailable, std::move(code), std::move(message));
  e.retry_after_secs = retry_after_secs;
  return e;
}
inline Error tool_failed(std::string message) {
  return make_error(ErrorKind::tool_failed, "ffmpeg_failed", std::move(message));
}

// HTTP status for an error kind.
int http_status_for(ErrorKind kind);
// Process exit code for an error kind (the CLI documents these).
int exit_code_for(ErrorKind kind);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return m_state.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(m_state);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(m_state);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(m_state));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(m_state);
  }

 private:
  std::variant<T, Error> m_state;
};

// Result of an operation that produces no value.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : m_error(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !m_error.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(!ok());
    return *m_error;
  }

 private:
  std::optional<Error> m_error;
};

using Status = Result<void>;

}  // namespace frameserve
