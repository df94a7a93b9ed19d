// ByteSink: where a child's output goes — an HTTP response, a file, stdout,
// or memory. The HTTP layer and the CLI provide their own sinks, so the same
// pump code serves both.
#pragma once

#include <cstddef>
#include <string>

namespace frameserve::process {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // Writes all `size` bytes. Returns false when the destination has gone
  // away (client disconnected, broken pipe); the caller then stops.
  virtual bool write(const char* data, size_t size) = 0;
  // Cheap liveness check used while no data is flowing, so that a client
  // that leaves during a quiet period is noticed without a write.
  virtual bool is_open() { return true; }
  // True when a write now would wait for the reader (it is not reading);
  // lets a stream park its job slot while it is held back.
  virtual bool would_block() { return false; }
};

// Collects output in memory up to `limit` bytes (then refuses more).
class StringSink : public ByteSink {
 public:
  explicit StringSink(size_t limit) : m_limit(limit) {}
  bool write(const char* data, size_t size) override;
  std::string& data() { return m_data; }

 private:
  size_t m_limit;
  std::string m_data;
};

// Writes to a file descriptor the sink does not own (stdout, an open file).
class FdSink : public ByteSink {
 public:
  explicit FdSink(int fd) : m_fd(fd) {}
  bool write(const char* data, size_t size) override;

 private:
  int m_fd;
};

}  // namespace frameserve::process
