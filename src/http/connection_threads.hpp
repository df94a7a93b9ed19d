// ConnectionThreads: cpp-httplib's task queue, replaced.
//
// httplib serves each connection on one thread from its task queue, for the
// connection's whole life (a stream holds its thread for hours, a stalled
// client until a timeout). Its own ThreadPool has a fixed size and an
// unbounded queue, so anything beyond the workers waited there unseen
// (120 thumbnails: the slowest 27.5 s; /healthz 18 s behind stalled clients).
// Here no accepted connection ever waits for a thread: one is started on
// demand up to `max_threads`; beyond that the connection is answered 503
// with Retry-After at once. Threads started for a burst stay for the next.
// Each connection runs with its ConnectionWatch record as the thread's
// current connection and a cancellation check for the process layer.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "http/connection_watch.hpp"

namespace frameserve::http {

class ConnectionThreads : public httplib::TaskQueue {
 public:
  ConnectionThreads(ConnectionWatch& watch, int max_threads);
  ~ConnectionThreads() override;

  // Serves one accepted connection (called in httplib's listener thread):
  // on an idle thread, a new thread, or, beyond max_threads, with a 503.
  void enqueue(std::function<void()> fn) override;
  // Lets the running connections finish, then joins every thread.
  void shutdown() override;

 private:
  struct Task {
    std::function<void()> fn;
    std::shared_ptr<Connection> connection;
  };
  void work();
  void shed(Task& task);

  ConnectionWatch& m_watch;
  const size_t m_max_threads;
  std::mutex m_mutex;
  std::condition_variable m_ready;
  std::deque<Task> m_tasks;
  std::vector<std::thread> m_threads;
  size_t m_idle = 0;
  bool m_stopping = false;
};

}  // namespace frameserve::http
