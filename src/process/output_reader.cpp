#include "process/output_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "common/text.hpp"

namespace frameserve::process {

void OutputReader::read_stderr_once() {
  char buffer[4096];
  ssize_t n = ::read(m_child.stderr_fd(), buffer, sizeof buffer);
  if (n > 0) {
    m_stderr_tail.append(buffer, static_cast<size_t>(n));
    if (m_stderr_tail.size() > m_stderr_keep) {
      m_stderr_tail.erase(0, m_stderr_tail.size() - m_stderr_keep);
    }
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    m_child.close_stderr();
  }
}

OutputReader::Chunk OutputReader::read(char* buffer, size_t capacity,
                                       std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (m_child.stdout_fd() < 0) return {Status::eof, 0};
    pollfd fds[2];
    nfds_t count = 0;
    fds[count++] = {m_child.stdout_fd(), POLLIN, 0};
    if (m_child.stderr_fd() >= 0) fds[count++] = {m_child.stderr_fd(), POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    int wait_ms = left.count() > 0 ? static_cast<int>(left.count()) : 0;
    int ready = ::poll(fds, count, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return {Status::error, 0};
    }
    if (ready == 0) return {Status::timeout, 0};
    if (count == 2 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) read_stderr_once();
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = ::read(m_child.stdout_fd(), buffer, capacity);
      if (n > 0) return {Status::data, static_cast<size_t>(n)};
      if (n == 0) {
        m_child.close_stdout();
        return {Status::eof, 0};
      }
      if (errno == EINTR || errno == EAGAIN) continue;
      m_child.close_stdout();
      return {Status::error, 0};
    }
  }
}

void OutputReader::drain_stderr(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (m_child.stderr_fd() >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
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
