// ConnectionWatch: knows the socket of every connection the server accepted.
//
// cpp-httplib 0.11.4 hides a connection's socket from the code serving it.
// frameserve needs it for three things:
//  - a total deadline for a request's head: httplib's read timeout restarts
//    with every byte, so a client trickling one byte every few seconds would
//    hold its worker forever; a watchdog shuts down a connection whose head
//    is overdue;
//  - noticing that a requester left while its request waits (for a job slot
//    or for ffmpeg's first bytes), so its slot is freed at once;
//  - seeing that a client is not reading (a write would block), so a paused
//    stream parks its job slot.
// The socket is found right after accept(), in the listener thread: it is
// the one socket on our port whose peer no registered connection has.
// Thread-safe.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace frameserve::http {

struct Connection {
  int fd = -1;
  sockaddr_storage peer{};
  socklen_t peer_len = 0;
  // Steady-clock nanoseconds by which the next request head must have
  // arrived; 0 while a request is being served (no deadline).
  std::atomic<int64_t> head_due_ns{0};
  // A request whose body a route reads in chunks: the deadline its head had
  // when the body began (ConnectionWatch::body_progress counts from it).
  int64_t body_base_ns = 0;

  // True when the peer has closed or reset the connection (never blocks).
  bool peer_gone() const;
  // True when the socket's send buffer is full: the client is not reading.
  bool write_would_block() const;
  // True when `fd` still is this connection (same peer), not a reused number.
  bool still_ours() const;
};

class ConnectionWatch {
 public:
  // `head_timeout`: how long a request's head may take from the connection's
  // start, or from the end of the previous response plus `keep_alive`.
  ConnectionWatch(std::chrono::milliseconds head_timeout, std::chrono::milliseconds keep_alive);
  ~ConnectionWatch();
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;

  // The listening socket and its port (set once, after bind).
  void set_listener(int fd, int port);

  // Registers the connection accepted just now (call in the listener
  // thread, right after accept). nullptr when it cannot be told apart.
  std::shared_ptr<Connection> adopt();
  // Unregisters a connection once httplib has closed it.
  void forget(const std::shared_ptr<Connection>& connection);

  // The connection the current thread serves (nullptr: none or unknown).
  static Connection* current();
  static void set_current(Connection* connection);

  // The current request's head has arrived: no deadline while it is
  // served. A request with a body keeps its deadline for the body too
  // (httplib would read a trickled body at a byte per read timeout)...
  static void head_received(bool body_follows);
  // ...except that a route reading a large body in chunks (an import) moves
  // it on as bytes arrive: `bytes` so far buy 1 s per k_min_body_rate on top
  // of the head's deadline, so an upload at any useful speed is never cut
  // while one trickling a byte at a time still is.
  static void body_progress(uint64_t bytes);
  // The body has been read whole: no deadline while the request is served
  // (an import's COPY, a registration's packet scan may take many seconds).
  static void body_complete();
  static constexpr uint64_t k_min_body_rate = 16 * 1024;  // bytes per second
  // The current response has been sent: the next head is due by then.
  void response_sent();

  // Shuts down every connection waiting for a head (server stop), so the
  // threads blocked reading them return at once.
  void cut_idle();
  // Shuts down every connection, busy or not (the drain deadline), so that
  // writes blocked on clients that do not read fail at once.
  void cut_all();

  int open_connections() const;

 private:
  void watchdog();
  static int64_t now_ns();

  const std::chrono::milliseconds m_head_timeout;
  const std::chrono::milliseconds m_keep_alive;
  int m_listener_fd = -1;
  int m_port = -1;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stopping = false;
  std::map<int, std::shared_ptr<Connection>> m_connections;  // by fd
  std::thread m_watchdog;
};

}  // namespace frameserve::http
