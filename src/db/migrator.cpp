#include "db/migrations.hpp"

#include <set>

namespace frameserve::db {

namespace {
constexpr const char* k_create_table =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";
// Arbitrary constant shared by every frameserve process.
constexpr const char* k_lock = "SELECT pg_advisory_xact_lock(7316504113)";
constexpr const char* k_applied = "SELECT name FROM schema_migrations";
constexpr const char* k_record = "INSERT INTO schema_migrations (name) VALUES ($1)";
}  // namespace

Result<std::vector<std::string>> apply_migrations(Database& database) {
  std::vector<std::string> applied_now;
  for (const Migration& migration : embedded_migrations()) {
    bool applied = false;
    Status status = database.transaction([&](Session& s) -> Status {
      if (auto r = s.exec(k_lock); !r) return r.error();
      if (auto r = s.exec(k_create_table); !r) return r.error();
      auto done = s.exec(k_applied);
      if (!done) return done.error();
      for (int i = 0; i < done->rows(); ++i) {
        if (done->text(i, 0) == migration.name) return Status();
      }
      // Simple query protocol: a migration file holds several statements.
      PgResult result(PQexec(s.conn(), migration.sql.c_str()));
      if (PQresultStatus(result.get()) != PGRES_COMMAND_OK && PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
        return internal_error("migration " + migration.name + " failed: " + PQresultErrorMessage(result.get()));
      }
      if (auto r = s.exec(k_record, {migration.name}); !r) return r.error();
      applied = true;
      return Status();
    });
    if (!status) return status.error();
    if (applied) applied_now.push_back(migration.name);
  }
  return applied_now;
}

Status check_schema_current(Database& database) {
  auto done = database.query("SELECT name FROM schema_migrations WHERE to_regclass('schema_migrations') IS NOT NULL");
  if (!done) {
    if (done.error().kind == ErrorKind::unavailable) return done.error();
    return make_error(ErrorKind::unavailable, "schema_missing",
                      "the database has no frameserve schema; run `frameserve migrate`");
  }
  std::set<std::string> names;
  for (int i = 0; i < done->rows(); ++i) names.insert(done->string(i, 0));
  for (const Migration& migration : embedded_migrations()) {
    if (!names.count(migration.name)) {
      return make_error(ErrorKind::unavailable, "schema_outdated",
                        "the database schema lacks migration " + migration.name + "; run `frameserve migrate`");
    }
  }
  return Status();
}

}  // namespace frameserve::db
