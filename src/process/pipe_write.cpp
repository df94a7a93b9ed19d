#include "process/pipe_write.hpp"

#include <unistd.h>

#include <cerrno>

namespace frameserve::process {

bool write_all(int fd, std::vector<iovec> parts) {
  size_t index = 0;
  while (index < parts.size()) {
    if (parts[index].iov_len == 0) {
      ++index;
      continue;
    }
    ssize_t n = ::writev(fd, parts.data() + index, static_cast<int>(parts.size() - index));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    size_t left = static_cast<size_t>(n);
    while (index < parts.size() && left >= parts[index].iov_len) {
      left -= parts[index].iov_len;
      ++index;
    }
    if (index < parts.size()) {
      parts[index].iov_base = static_cast<char*>(parts[index].iov_base) + left;
      parts[index].iov_len -= left;
    }
  }
  return true;
}

}  // namespace frameserve::process
