#include "process/output_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "common/text.hpp"

namespace frameserve::process {

namespace {
// A line of ffmpeg's -progress output: `key=value`, a lowercase key of
// letters, digits and underscores, and no space anywhere (ffmpeg's own
// messages are sentences).
bool is_progress_line(std::string_view line) {
  size_t equals = line.find('=');
  if (equals == std::string_view::npos || equals == 0 || line.find(' ') != std::string_view::npos) return false;
  for (char c : line.substr(0, equals)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}
}  // namespace

void OutputReader::keep_line(std::string_view line) {
  if (is_progress_line(line)) {
    if (line.rfind("frame=", 0) == 0 && m_on_frames) {
      if (auto frames = parse_int64(line.substr(6))) m_on_frames(*frames);
    }
    return;
  }
  m_stderr_tail.append(line);
  m_stderr_tail.push_back('\n');
}

void OutputReader::keep_stderr(const char* data, size_t size) {
  if (!m_progress_lines) {
    m_stderr_tail.append(data, size);
  } else {
    m_partial_line.append(data, size);
    size_t start = 0;
    for (size_t newline; (newline = m_partial_line.find('\n', start)) != std::string::npos; start = newline + 1) {
      keep_line(std::string_view(m_partial_line).substr(start, newline - start));
    }
    m_partial_line.erase(0, start);
    // A line longer than anything ffmpeg writes is kept as text.
    if (m_partial_line.size() > m_stderr_keep) {
      m_stderr_tail += m_partial_line;
      m_partial_line.clear();
    }
  }
  if (m_stderr_tail.size() > m_stderr_keep) m_stderr_tail.erase(0, m_stderr_tail.size() - m_stderr_keep);
}

void OutputReader::read_stderr_once() {
  char buffer[4096];
  ssize_t n = ::read(m_child.stderr_fd(), buffer, sizeof buffer);
  if (n > 0) {
    keep_stderr(buffer, static_cast<size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    // The last line may lack its newline.
    if (!m_partial_line.empty()) keep_stderr("\n", 1);
    m_child.close_stderr();
  }
}

OutputReader::Chunk OutputReader::read(char* buffer, size_t capacity, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (m_child.stdout_fd() < 0) return {ReadStatus::eof, 0};
    pollfd fds[2];
    nfds_t count = 0;
    fds[count++] = {m_child.stdout_fd(), POLLIN, 0};
    if (m_child.stderr_fd() >= 0) fds[count++] = {m_child.stderr_fd(), POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    int wait_ms = left.count() > 0 ? static_cast<int>(left.count()) : 0;
    int ready = ::poll(fds, count, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return {ReadStatus::error, 0};
    }
    if (ready == 0) return {ReadStatus::timeout, 0};
    if (count == 2 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) read_stderr_once();
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = ::read(m_child.stdout_fd(), buffer, capacity);
      if (n > 0) return {ReadStatus::data, static_cast<size_t>(n)};
      if (n == 0) {
        m_child.close_stdout();
        return {ReadStatus::eof, 0};
      }
      if (errno == EINTR || errno == EAGAIN) continue;
      m_child.close_stdout();
      return {ReadStatus::error, 0};
    }
  }
}

void OutputReader::drain_stderr(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (m_child.stderr_fd() >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    pollfd fd{m_child.stderr_fd(), POLLIN, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return;
    read_stderr_once();
  }
}

std::string OutputReader::failure_reason() const {
  std::string_view text = trim(m_stderr_tail);
  size_t last_newline = text.find_last_of('\n');
  std::string_view line = last_newline == std::string_view::npos ? text : text.substr(last_newline + 1);
  line = trim(line);
  if (line.size() > 300) line = line.substr(0, 300);
  return std::string(line);
}

}  // namespace frameserve::process
