#include "http/connection_threads.hpp"

#include <sys/socket.h>

#include "common/json_writer.hpp"
#include "common/log.hpp"
#include "process/cancellation.hpp"

namespace frameserve::http {

ConnectionThreads::ConnectionThreads(ConnectionWatch& watch, int max_threads)
    : m_watch(watch), m_max_threads(static_cast<size_t>(std::max(1, max_threads))) {}

ConnectionThreads::~ConnectionThreads() { shutdown(); }

void ConnectionThreads::enqueue(std::function<void()> fn) {
  Task task{std::move(fn), m_watch.adopt()};
  std::unique_lock lock(m_mutex);
  if (m_idle > m_tasks.size()) {
    m_tasks.push_back(std::move(task));
    lock.unlock();
    m_ready.notify_one();
    return;
  }
  if (m_threads.size() < m_max_threads) {
    m_tasks.push_back(std::move(task));
    m_threads.emplace_back([this] { work(); });
    return;
  }
  lock.unlock();
  shed(task);
}

void ConnectionThreads::shed(Task& task) {
  if (!task.connection) {
    // Without its socket the connection cannot be answered here; it waits
    // for the next free thread like in httplib's own pool.
    log::warn("all connection threads are busy; a connection waits for one");
    std::lock_guard lock(m_mutex);
    m_tasks.push_back(std::move(task));
    return;
  }
  log::warn("all " + std::to_string(m_max_threads) + " connection threads are busy; answered 503");
  std::string body = error_json("too_many_connections", "the server is serving " + std::to_string(m_max_threads) +
                                                            " connections, its maximum; retry shortly");
  std::string response =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
      "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  int fd = task.connection->fd;
  // Best effort and never blocking: this is the listener thread.
  (void)::send(fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  // Unread request bytes would turn the close into a reset that can destroy
  // the answer before the client reads it: take what has arrived.
  char discard[4096];
  while (::recv(fd, discard, sizeof discard, MSG_DONTWAIT) > 0) {}
  ::shutdown(fd, SHUT_RDWR);
  // httplib's task now finds the connection closed at once and closes it.
  task.fn();
  m_watch.forget(task.connection);
}

void ConnectionThreads::work() {
  std::unique_lock lock(m_mutex);
  while (true) {
    ++m_idle;
    m_ready.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
    --m_idle;
    if (m_tasks.empty()) return;  // stopping, and nothing left to serve
    Task task = std::move(m_tasks.front());
    m_tasks.pop_front();
    lock.unlock();
    {
      Connection* connection = task.connection.get();
      ConnectionWatch::set_current(connection);
      process::CancelScope cancel([connection] { return connection != nullptr && connection->peer_gone(); });
      task.fn();
      ConnectionWatch::set_current(nullptr);
    }
    m_watch.forget(task.connection);
    task = Task{};
    lock.lock();
  }
}

void ConnectionThreads::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    threads.swap(m_threads);
  }
  m_ready.notify_all();
  // Connections idling between requests (or stalling) are closed, so that
  // stopping does not wait for their timeouts; running responses finish.
  m_watch.cut_idle();
  for (auto& thread : threads) thread.join();
}

}  // namespace frameserve::http
