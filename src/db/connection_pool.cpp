#include "db/connection_pool.hpp"

#include "common/log.hpp"
#include "common/text.hpp"

namespace frameserve::db {

std::string connection_error_message(PGconn* conn) {
  std::string message = conn ? PQerrorMessage(conn) : "out of memory";
  std::string_view trimmed = trim(message);
  // libpq messages can span lines; keep them on one.
  std::string single;
  for (char c : trimmed) single.push_back(c == '\n' ? ' ' : c);
  return single;
}

Lease::Lease(Lease&& other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr)), m_conn(std::exchange(other.m_conn, nullptr)) {}

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (m_pool && m_conn) m_pool->give_back(m_conn);
    m_pool = std::exchange(other.m_pool, nullptr);
    m_conn = std::exchange(other.m_conn, nullptr);
  }
  return *this;
}

Lease::~Lease() {
  if (m_pool && m_conn) m_pool->give_back(m_conn);
}

ConnectionPool::ConnectionPool(PoolOptions options) : m_options(std::move(options)) {}

ConnectionPool::~ConnectionPool() {
  std::lock_guard lock(m_mutex);
  for (PGconn* conn : m_idle) PQfinish(conn);
  m_idle.clear();
}

Result<PGconn*> ConnectionPool::connect_new() const {
  // Our defaults come first; the user's conninfo (expanded from "dbname")
  // overrides them. Settings live in the conninfo so that PQreset keeps them.
  std::string options = "-c statement_timeout=" + std::to_string(m_options.statement_timeout_ms);
  const char* keywords[] = {"connect_timeout",  "keepalives",
                            "keepalives_idle",  "keepalives_interval",
                            "keepalives_count", "tcp_user_timeout",
                            "options",          "application_name",
                            "dbname",           nullptr};
  const char* values[] = {
      "3", "1", "10", "5", "3", "10000", options.c_str(), "frameserve", m_options.conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string message = connection_error_message(conn);
    if (conn) PQfinish(conn);
    return unavailable("database_unavailable", "the database is unavailable: " + message, 2);
  }
  // Server notices ("... already exists, skipping") belong in the debug log,
  // not on a CLI user's terminal.
  PQsetNoticeProcessor(
      conn, [](void*, const char* message) { log::debug(trim(message)); }, nullptr);
  return conn;
}

Result<Lease> ConnectionPool::acquire() {
  std::unique_lock lock(m_mutex);
  auto deadline = std::chrono::steady_clock::now() + m_options.acquire_timeout;
  while (true) {
    if (!m_idle.empty()) {
      PGconn* conn = m_idle.back();
      m_idle.pop_back();
      return Lease(this, conn);
    }
    if (m_open < m_options.size) {
      ++m_open;
      lock.unlock();
      auto conn = connect_new();
      if (!conn) {
        lock.lock();
        --m_open;
        m_available.notify_one();
        return conn.error();
      }
      return Lease(this, conn.value());
    }
    ++m_waiting;
    bool timed_out = m_available.wait_until(lock, deadline) == std::cv_status::timeout;
    --m_waiting;
    if (timed_out && m_idle.empty() && m_open >= m_options.size) {
      return unavailable("database_busy", "all database connections are busy; retry shortly", 1);
    }
  }
}

ConnectionPool::Stats ConnectionPool::stats() {
  std::lock_guard lock(m_mutex);
  int idle = static_cast<int>(m_idle.size());
  return Stats{m_options.size, m_open, m_open - idle, m_waiting};
}

void ConnectionPool::give_back(PGconn* conn) {
  bool healthy = PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE;
  if (!healthy) {
    log::info("dropping a database connection that is broken or inside a transaction");
    PQfinish(conn);
  }
  {
    std::lock_guard lock(m_mutex);
    if (healthy) {
      m_idle.push_back(conn);
    } else {
      --m_open;
    }
  }
  m_available.notify_one();
}

}  // namespace frameserve::db
