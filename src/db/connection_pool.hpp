// ConnectionPool: a bounded set of libpq connections shared by threads.
//
// A thread leases a connection (RAII), uses it alone, and returns it. On
// return a connection that is broken or left inside a transaction is
// dropped, so that a database restart heals by itself: the next lease opens
// a fresh connection. When no connection can be had within the acquire
// timeout, or the database refuses connections, acquire() returns
// `unavailable` (503), never hangs.
//
// Thread-safe. The pool must outlive its leases. Never hold a lease while
// streaming video: leases are for one query or one transaction.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace frameserve::db {

struct PoolOptions {
  std::string conninfo;
  int size = 8;
  std::chrono::milliseconds acquire_timeout{3000};
  // Server-side limit for a single statement, so a stuck query cannot hold
  // a request thread forever.
  int statement_timeout_ms = 15000;
};

class ConnectionPool;

class Lease {
 public:
  Lease() = default;
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&& other) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  PGconn* get() const { return m_conn; }

 private:
  friend class ConnectionPool;
  Lease(ConnectionPool* pool, PGconn* conn) : m_pool(pool), m_conn(conn) {}
  ConnectionPool* m_pool = nullptr;
  PGconn* m_conn = nullptr;
};

class ConnectionPool {
 public:
  explicit ConnectionPool(PoolOptions options);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  Result<Lease> acquire();

  // Opens one connection outside the pool (for LISTEN-free one-shot work
  // such as the CLI) with the same settings.
  Result<PGconn*> connect_new() const;

  const PoolOptions& options() const { return m_options; }

  struct Stats {
    int size = 0;     // the configured maximum
    int open = 0;     // idle + leased + being opened
    int in_use = 0;   // leased or being opened
    int waiting = 0;  // threads waiting in acquire()
  };
  // A snapshot, for /healthz and /metrics. Never fails.
  Stats stats();

 private:
  friend class Lease;
  void give_back(PGconn* conn);

  PoolOptions m_options;
  std::mutex m_mutex;
  std::condition_variable m_available;
  std::vector<PGconn*> m_idle;
  int m_open = 0;  // idle + leased + being opened
  int m_waiting = 0;
};

// Describes a libpq connection failure in one line, without the password.
std::string connection_error_message(PGconn* conn);

}  // namespace frameserve::db
