#include "db/database.hpp"

#include <cstdio>

#include "common/log.hpp"
#include "common/text.hpp"
#include "db/queries.hpp"

namespace frameserve::db {

std::string uuid_array(const std::vector<std::string>& uuids) {
  std::string out = "{";
  for (const std::string& uuid : uuids) {
    if (out.size() > 1) out.push_back(',');
    out += uuid;
  }
  out.push_back('}');
  return out;
}

PgParam::PgParam(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  value = buffer;
}

namespace {
constexpr const char* k_connection_lost = "database_connection_lost";

Error classify_failure(PGconn* conn, PGresult* result) {
  if (PQstatus(conn) != CONNECTION_OK) {
    return unavailable(k_connection_lost, "the database connection was lost: " + connection_error_message(conn), 2);
  }
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  std::string detail = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  std::string one_line;
  for (char c : trim(detail)) one_line.push_back(c == '\n' ? ' ' : c);
  if (sqlstate == "23505") {
    return make_error(ErrorKind::conflict, "already_exists", one_line);
  }
  if (sqlstate == "23503") {
    return make_error(ErrorKind::not_found, "referenced_row_missing", one_line);
  }
  if (sqlstate == "57014") {
    return unavailable("database_timeout", "the database did not answer in time", 2);
  }
  if (sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03") {
    return unavailable(k_connection_lost, "the database is unavailable: " + one_line, 2);
  }
  log::error("database error " + sqlstate + ": " + one_line);
  return make_error(ErrorKind::internal, "database_error", "database error (" + sqlstate + ")");
}
}  // namespace

Result<PgResult> exec_params(PGconn* conn, const char* sql, const std::vector<PgParam>& params, ResultFormat format) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  values.reserve(params.size());
  for (const PgParam& p : params) {
    values.push_back(p.value ? p.value->data() : nullptr);
    lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
    formats.push_back(p.binary ? 1 : 0);
  }
  PgResult result(PQexecParams(conn, sql, static_cast<int>(params.size()), nullptr, values.data(), lengths.data(),
                               formats.data(), static_cast<int>(format)));
  ExecStatusType status = result.get() ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  return classify_failure(conn, result.get());
}

Result<PgResult> Session::exec(const char* sql, const std::vector<PgParam>& params, ResultFormat format) {
  return exec_params(conn(), sql, params, format);
}

Status Session::copy_in(const char* copy_sql, const std::function<Result<bool>(std::string& buffer)>& produce) {
  PgResult start(PQexec(conn(), copy_sql));
  if (!start.get() || PQresultStatus(start.get()) != PGRES_COPY_IN) {
    return classify_failure(conn(), start.get());
  }
  std::string buffer;
  while (true) {
    buffer.clear();
    Result<bool> more = produce(buffer);
    if (!more) {
      PQputCopyEnd(conn(), "aborted by frameserve");
      PgResult drained;
      while (PGresult* r = PQgetResult(conn())) drained = PgResult(r);
      return more.error();
    }
    if (!buffer.empty() && PQputCopyData(conn(), buffer.data(), static_cast<int>(buffer.size())) != 1) {
      return classify_failure(conn(), nullptr);
    }
    if (!more.value()) break;
  }
  if (PQputCopyEnd(conn(), nullptr) != 1) return classify_failure(conn(), nullptr);
  Status outcome;
  while (PGresult* r = PQgetResult(conn())) {
    PgResult result(r);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && outcome.ok()) outcome = classify_failure(conn(), r);
  }
  return outcome;
}

Result<Session> Database::session() {
  auto lease = m_pool.acquire();
  if (!lease) return lease.error();
  return Session(std::move(lease.value()));
}

Result<PgResult> Database::query(const char* sql, const std::vector<PgParam>& params, ResultFormat format,
                                 Retry retry) {
  auto lease = m_pool.acquire();
  if (!lease) return lease.error();
  auto result = exec_params(lease->get(), sql, params, format);
  if (!result && result.error().code == k_connection_lost && retry == Retry::idempotent) {
    // The server restarted or the connection dropped: reset once and retry.
    PQreset(lease->get());
    if (PQstatus(lease->get()) == CONNECTION_OK) {
      result = exec_params(lease->get(), sql, params, format);
    }
  }
  return result;
}

Status Database::ping() {
  auto r = query(sql::k_ping);
  if (!r) return r.error();
  return Status();
}

Status Database::transaction(const std::function<Status(Session&)>& work) {
  auto session_result = this->session();
  if (!session_result) return session_result.error();
  Session& s = session_result.value();
  auto begin = s.exec("BEGIN");
  if (!begin && begin.error().code == k_connection_lost) {
    // Nothing has happened yet, so a reset and a second try is safe.
    PQreset(s.conn());
    begin = s.exec("BEGIN");
  }
  if (!begin) return begin.error();
  Status outcome = work(s);
  if (!outcome) {
    auto rollback = s.exec("ROLLBACK");
    (void)rollback;
    return outcome;
  }
  auto commit = s.exec("COMMIT");
  if (!commit) return commit.error();
  return Status();
}

}  // namespace frameserve::db
