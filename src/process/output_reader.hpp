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
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "process/child_process.hpp"

namespace frameserve::process {

class OutputReader {
 public:
  enum class ReadStatus { data, eof, timeout, error };
  struct Chunk {
    ReadStatus status;
    size_t size = 0;  // bytes placed in the buffer when status == data
  };

  // `progress_lines`: the child is an ffmpeg started with `-progress
  // pipe:2`, so stderr also carries its key=value progress blocks; those
  // lines are taken out of the kept text (they would hide the error line)
  // and their frame= values go to the frame listener.
  explicit OutputReader(ChildProcess& child, size_t stderr_keep = 8192, bool progress_lines = false)
      : m_child(child), m_stderr_keep(stderr_keep), m_progress_lines(progress_lines) {}

  // Told every frame= value of the progress lines; nullptr for none.
  void set_frame_listener(std::function<void(int64_t)> listener) { m_on_frames = std::move(listener); }

  // Waits up to `timeout` for stdout data. Stderr is drained meanwhile.
  Chunk read(char* buffer, size_t capacity, std::chrono::milliseconds timeout);

  // Reads whatever stderr is still open, for at most `timeout`.
  void drain_stderr(std::chrono::milliseconds timeout);

  const std::string& stderr_tail() const { return m_stderr_tail; }
  // The last non-empty stderr line, shortened: a one-line failure reason.
  std::string failure_reason() const;

 private:
  void read_stderr_once();
  // Appends stderr text to the kept tail, sorting out progress lines.
  void keep_stderr(const char* data, size_t size);
  void keep_line(std::string_view line);

  ChildProcess& m_child;
  size_t m_stderr_keep;
  bool m_progress_lines;
  std::function<void(int64_t)> m_on_frames;
  std::string m_stderr_tail;
  std::string m_partial_line;  // progress_lines only: text after the last newline
};

}  // namespace frameserve::process
