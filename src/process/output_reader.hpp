// OutputReader: reads a child's stdout while draining its stderr, with
// timeouts, so that neither pipe can fill up and block the child, and the
// caller regains control regularly (to notice a departed client or a
// deadline) even when the child is silent.
//
// Keeps the last few KiB of stderr for error messages. Not thread-safe; use
// from the thread that consumes stdout.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "process/child_process.hpp"

namespace frameserve::process {

class OutputReader {
 public:
  enum class Status { data, eof, timeout, error };
  struct Chunk {
    Status status;
    size_t size = 0;  // bytes placed in the buffer when status == data
  };

  explicit OutputReader(ChildProcess& child, size_t stderr_keep = 8192)
      : m_child(child), m_stderr_keep(stderr_keep) {}

  // Waits up to `timeout` for stdout data. Stderr is drained meanwhile.
  Chunk read(char* buffer, size_t capacity, std::chrono::milliseconds timeout);

  // Reads whatever stderr is still open, for at most `timeout`.
  void drain_stderr(std::chrono::milliseconds timeout);

  const std::string& stderr_tail() const { return m_stderr_tail; }
  // The last non-empty stderr line, shortened: a one-line failure reason.
  std::string failure_reason() const;

 private:
  void read_stderr_once();

  ChildProcess& m_child;
  size_t m_stderr_keep;
  std::string m_stderr_tail;
};

}  // namespace frameserve::process
