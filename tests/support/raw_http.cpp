#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace frameserve::testing {

RawConnection::RawConnection(int port, const std::string& target, const std::string& headers,
                             const std::string& version, ReceiveBuffer buffer)
    : RawConnection(port, buffer) {
  if (!send("GET " + target + " " + version + "\r\nHost: 127.0.0.1\r\n" + headers + "\r\n")) {
    throw std::runtime_error("send failed");
  }
}

RawConnection::RawConnection(int port, ReceiveBuffer buffer) {
  m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (buffer == ReceiveBuffer::small) {
    int size = 4096;
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(m_fd);
    throw std::runtime_error("connect failed");
  }
}

bool RawConnection::send(const std::string& bytes) {
  return ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

RawConnection::~RawConnection() {
  if (m_fd >= 0) ::close(m_fd);
}

std::string RawConnection::read_at_least(size_t bytes, std::chrono::milliseconds timeout) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[16384];
  while (out.size() < bytes) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{m_fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

void RawConnection::abort() {
  linger option{1, 0};
  ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &option, sizeof option);
  ::close(m_fd);
  m_fd = -1;
}

}  // namespace frameserve::testing
