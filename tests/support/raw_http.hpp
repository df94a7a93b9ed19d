// A bare HTTP client over a socket, for tests that must misbehave: read a
// few bytes and vanish, or stop reading altogether.
#pragma once

#include <chrono>
#include <string>

namespace frameserve::testing {

// `small`: a 4 KB receive buffer, so that a client that stops reading holds
// back the server quickly. Set before connecting: shrinking it on an open
// connection leaves the window scale negotiated for a large buffer, and the
// kernel then advertises a zero window most of the time: reading on resumed
// at a few tens of kilobytes a second (a 2 MB stream took a minute).
enum class ReceiveBuffer { normal, small };

class RawConnection {
 public:
  // Connects to 127.0.0.1:port and sends a GET for `target` with `headers`
  // (each "Name: value\r\n") as `version` ("HTTP/1.1" or "HTTP/1.0").
  RawConnection(int port, const std::string& target, const std::string& headers,
                const std::string& version = "HTTP/1.1", ReceiveBuffer buffer = ReceiveBuffer::normal);
  RawConnection(int port, const std::string& target, const std::string& headers, ReceiveBuffer buffer)
      : RawConnection(port, target, headers, "HTTP/1.1", buffer) {}
  // Connects only: the test sends its own request (one with a body, sent
  // slowly) with send().
  explicit RawConnection(int port, ReceiveBuffer buffer = ReceiveBuffer::normal);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends `bytes` whole; false once the server has closed or reset the
  // connection.
  bool send(const std::string& bytes);
  // Reads until at least `bytes` arrived or `timeout` passed.
  std::string read_at_least(size_t bytes, std::chrono::milliseconds timeout);
  // Closes at once, with a reset (no lingering data): a client that vanished.
  void abort();

 private:
  int m_fd = -1;
};

}  // namespace frameserve::testing
