#include "http/connection_watch.hpp"

#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/log.hpp"

namespace frameserve::http {

namespace {

thread_local Connection* t_current = nullptr;

int port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

bool same_peer(const Connection& connection, const sockaddr_storage& peer, socklen_t length) {
  return connection.peer_len == length && std::memcmp(&connection.peer, &peer, length) == 0;
}

}  // namespace

bool Connection::peer_gone() const {
  pollfd p{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  if ((p.revents & (POLLHUP | POLLERR | POLLRDHUP)) != 0) return true;
  // Readable: either more request bytes (pipelining) or the end of stream.
  char byte = 0;
  return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

bool Connection::write_would_block() const {
  pollfd p{fd, POLLOUT, 0};
  return ::poll(&p, 1, 0) == 0;
}

bool Connection::still_ours() const {
  sockaddr_storage now{};
  socklen_t length = sizeof now;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&now), &length) != 0) return false;
  return same_peer(*this, now, length);
}

ConnectionWatch::ConnectionWatch(std::chrono::milliseconds head_timeout, std::chrono::milliseconds keep_alive)
    : m_head_timeout(head_timeout), m_keep_alive(keep_alive), m_watchdog([this] { watchdog(); }) {}

ConnectionWatch::~ConnectionWatch() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  m_watchdog.join();
}

int64_t ConnectionWatch::now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void ConnectionWatch::set_listener(int fd, int port) {
  std::lock_guard lock(m_mutex);
  m_listener_fd = fd;
  m_port = port;
}

std::shared_ptr<Connection> ConnectionWatch::adopt() {
  std::lock_guard lock(m_mutex);
  if (m_port < 0) return nullptr;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return nullptr;
  std::vector<std::shared_ptr<Connection>> fresh;
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    int fd = std::atoi(entry->d_name);
    if (fd == ::dirfd(dir) || fd == m_listener_fd) continue;
    sockaddr_storage local{};
    socklen_t local_len = sizeof local;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 || port_of(local) != m_port) continue;
    auto connection = std::make_shared<Connection>();
    connection->fd = fd;
    connection->peer_len = sizeof connection->peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&connection->peer), &connection->peer_len) != 0) continue;
    auto known = m_connections.find(fd);
    if (known != m_connections.end() && same_peer(*known->second, connection->peer, connection->peer_len)) continue;
    fresh.push_back(std::move(connection));
  }
  ::closedir(dir);
  // Every earlier connection was registered when it was accepted, so exactly
  // one is new. Should that ever fail, the unknown ones are registered
  // without a deadline (so the next accept is unambiguous again) and this
  // connection simply goes unwatched.
  for (auto& connection : fresh) m_connections[connection->fd] = connection;
  if (fresh.size() != 1) {
    log::warn("could not identify an accepted connection's socket (" + std::to_string(fresh.size()) +
              " candidates); it has no head deadline");
    return nullptr;
  }
  fresh.front()->head_due_ns = now_ns() + std::chrono::nanoseconds(m_head_timeout).count();
  return fresh.front();
}

void ConnectionWatch::forget(const std::shared_ptr<Connection>& connection) {
  if (!connection) return;
  std::lock_guard lock(m_mutex);
  auto known = m_connections.find(connection->fd);
  if (known != m_connections.end() && known->second == connection) m_connections.erase(known);
}

Connection* ConnectionWatch::current() { return t_current; }

void ConnectionWatch::set_current(Connection* connection) { t_current = connection; }

void ConnectionWatch::head_received(bool body_follows) {
  if (t_current == nullptr) return;
  if (body_follows) {
    t_current->body_base_ns = t_current->head_due_ns.load();
  } else {
    t_current->head_due_ns = 0;
  }
}

void ConnectionWatch::body_progress(uint64_t bytes) {
  if (t_current == nullptr || t_current->head_due_ns.load() == 0 || t_current->body_base_ns == 0) return;
  const int64_t allowance_ns = static_cast<int64_t>(bytes / k_min_body_rate) * 1000000000LL;
  t_current->head_due_ns = std::max(t_current->head_due_ns.load(), t_current->body_base_ns + allowance_ns);
}

void ConnectionWatch::body_complete() {
  if (t_current != nullptr) t_current->head_due_ns = 0;
}

void ConnectionWatch::response_sent() {
  if (t_current != nullptr) {
    t_current->head_due_ns = now_ns() + std::chrono::nanoseconds(m_keep_alive + m_head_timeout).count();
  }
}

void ConnectionWatch::cut_idle() {
  std::lock_guard lock(m_mutex);
  for (auto& [fd, connection] : m_connections) {
    if (connection->head_due_ns.load() != 0 && connection->still_ours()) ::shutdown(fd, SHUT_RDWR);
  }
}

void ConnectionWatch::cut_all() {
  std::lock_guard lock(m_mutex);
  for (auto& [fd, connection] : m_connections) {
    if (connection->still_ours()) ::shutdown(fd, SHUT_RDWR);
  }
}

int ConnectionWatch::open_connections() const {
  std::lock_guard lock(m_mutex);
  return static_cast<int>(m_connections.size());
}

void ConnectionWatch::watchdog() {
  std::unique_lock lock(m_mutex);
  while (!m_stopping) {
    m_wake.wait_for(lock, std::chrono::milliseconds(100));
    int64_t now = now_ns();
    for (auto& [fd, connection] : m_connections) {
      int64_t due = connection->head_due_ns.load();
      if (due == 0 || now < due) continue;
      connection->head_due_ns = 0;
      // The number may already belong to a newer connection if httplib
      // closed this one a moment ago: only shut down what is still ours.
      if (!connection->still_ours()) continue;
      ::shutdown(fd, SHUT_RDWR);
      log::info("closed a connection whose request head did not arrive within " +
                std::to_string(m_head_timeout.count()) + " ms");
    }
  }
}

}  // namespace frameserve::http
