#include "process/byte_sink.hpp"

#include <unistd.h>

#include <cerrno>

namespace frameserve::process {

bool StringSink::write(const char* data, size_t size) {
  if (m_data.size() + size > m_limit) return false;
  m_data.append(data, size);
  return true;
}

bool FdSink::write(const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(m_fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace frameserve::process
