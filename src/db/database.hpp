// Database: parameterized statements over the connection pool.
//
// Every statement is sent with PQexecParams and `$n` placeholders; values are
// never spliced into SQL text. A statement that fails because the connection
// broke is retried once on a reset connection when it is idempotent; a
// database that stays down yields `unavailable` (503).
//
// Thread-safe (each call leases its own connection). A Session is one
// leased connection for a sequence of statements (transactions, COPY) and
// belongs to a single thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/connection_pool.hpp"
#include "db/pg_result.hpp"

namespace frameserve::db {

// One statement parameter: text, NULL, or raw bytes (binary, for bytea).
struct PgParam {
  std::optional<std::string> value;
  bool binary = false;

  PgParam() = default;  // NULL
  PgParam(std::nullopt_t) {}
  PgParam(std::string v) : value(std::move(v)) {}
  PgParam(const char* v) : value(std::string(v)) {}
  PgParam(std::string_view v) : value(std::string(v)) {}
  PgParam(int v) : value(std::to_string(v)) {}
  PgParam(int64_t v) : value(std::to_string(v)) {}
  PgParam(double v);
  PgParam(bool v) : value(v ? "true" : "false") {}
  template <typename T>
  PgParam(const std::optional<T>& v) {
    if (v) *this = PgParam(*v);
  }
  static PgParam bytes(std::string raw) {
    PgParam p(std::move(raw));
    p.binary = true;
    return p;
  }
};

// A uuid[] literal for a parameter: {hex32,hex32,...} ("{}" for none). The
// values are uuids the caller already checked; they are passed as a
// parameter, never spliced into SQL.
std::string uuid_array(const std::vector<std::string>& uuids);

enum class ResultFormat { text = 0, binary = 1 };
enum class Retry { idempotent, never };

class Session {
 public:
  explicit Session(Lease lease) : m_lease(std::move(lease)) {}
  PGconn* conn() const { return m_lease.get(); }

  Result<PgResult> exec(const char* sql, const std::vector<PgParam>& params = {},
                        ResultFormat format = ResultFormat::text);

  // COPY ... FROM STDIN: `produce` is called repeatedly and appends rows in
  // COPY text format to its buffer; it returns false when done, or an error
  // to abort the COPY (the transaction then fails as a whole).
  Status copy_in(const char* copy_sql, const std::function<Result<bool>(std::string& buffer)>& produce);

 private:
  Lease m_lease;
};

class Database {
 public:
  explicit Database(ConnectionPool& pool) : m_pool(pool) {}

  Result<PgResult> query(const char* sql, const std::vector<PgParam>& params = {},
                         ResultFormat format = ResultFormat::text, Retry retry = Retry::idempotent);

  // Runs `work` between BEGIN and COMMIT on one connection; any error from
  // `work` (or from COMMIT) rolls the whole transaction back.
  Status transaction(const std::function<Status(Session&)>& work);

  Result<Session> session();

  // Whether the database answers a trivial statement (health and
  // readiness checks). Errors: `unavailable`.
  Status ping();

  ConnectionPool& pool() { return m_pool; }

 private:
  ConnectionPool& m_pool;
};

// Runs one statement on a connection, classifying failures: lost
// connections become `unavailable` with code "database_connection_lost";
// unique violations `conflict`; statement timeouts `unavailable`; others
// `internal` (the details go to the log, not to the client).
Result<PgResult> exec_params(PGconn* conn, const char* sql, const std::vector<PgParam>& params, ResultFormat format);

}  // namespace frameserve::db
