// Migration 003 on a database that already holds detections: the figures
// it adds to each trace (detection_count, first_frame, last_frame) are
// backfilled from the detections imported before it, so listings of an
// upgraded installation are right without a re-import.
#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include "db/connection_pool.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "support/skip_or_fail.hpp"
#include "support/test_env.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
// Runs `sql` (several statements allowed) on a fresh connection; throws with
// PostgreSQL's message on failure.
void exec_sql(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot connect: " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string message = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("SQL failed: " + message);
}
}  // namespace

TEST_CASE("migration 003 backfills the figures of traces imported before it") {
  std::string cluster = env_or("FRAMESERVE_TEST_CONNINFO", "");
  if (cluster.empty()) {
    skip_or_fail("FRAMESERVE_TEST_CONNINFO is not set; run through scripts/run_tests.sh");
    return;
  }
  std::string name = "fs_test_m003_" + std::to_string(::getpid());
  exec_sql(cluster, "DROP DATABASE IF EXISTS " + name);
  exec_sql(cluster, "CREATE DATABASE " + name);
  std::string conninfo = cluster + " dbname=" + name;

  // The schema as it was before 003, recorded as applied, with data in it.
  std::string before =
      "CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());";
  bool found_003 = false;
  for (const db::Migration& m : db::embedded_migrations()) {
    if (m.name >= "003") {
      found_003 = found_003 || m.name == "003_discovery";
      continue;
    }
    before += m.sql + ";INSERT INTO schema_migrations (name) VALUES ('" + m.name + "');";
  }
  REQUIRE(found_003);
  exec_sql(conninfo, before);
  exec_sql(conninfo,
           "INSERT INTO files (file_uuid, path, container, video_codec, width, height, fps_num, fps_den,"
           " time_base_num, time_base_den, frame_count, duration_secs, start_time_us, has_audio, size_bytes, mtime_ns)"
           " VALUES ('aa000000000000000000000000000001', '/m/a.mp4', 'mp4', 'h264', 64, 64, 25, 1, 1, 12800, 100, 4,"
           " 0, false, 1, 0);"
           "INSERT INTO traces (file_uuid, trace_id) VALUES ('aa000000000000000000000000000001', 7),"
           " ('aa000000000000000000000000000001', 8);"
           "INSERT INTO detections (file_uuid, trace_id, frame_number, x, y, width, height, confidence)"
           " SELECT 'aa000000000000000000000000000001', 7, f, 0, 0, 8, 8, 0.5 FROM generate_series(10, 29) f;"
           "INSERT INTO detections (file_uuid, trace_id, frame_number, x, y, width, height, confidence)"
           " VALUES ('aa000000000000000000000000000001', 8, 50, 0, 0, 8, 8, 0.5);");

  {
    db::ConnectionPool pool(db::PoolOptions{conninfo, 1});
    db::Database database(pool);
    auto applied = db::apply_migrations(database);
    REQUIRE(applied);
    REQUIRE(!applied->empty());
    CHECK(applied->front() == "003_discovery");
    auto figures =
        database.query("SELECT trace_id, detection_count, first_frame, last_frame FROM traces ORDER BY trace_id");
    REQUIRE(figures);
    REQUIRE(figures->rows() == 2);
    CHECK(figures->int64(0, 0) == 7);
    CHECK(figures->int64(0, 1) == 20);
    CHECK(figures->int64(0, 2) == 10);
    CHECK(figures->int64(0, 3) == 29);
    CHECK(figures->int64(1, 1) == 1);
    CHECK(figures->int64(1, 2) == 50);
    CHECK(figures->int64(1, 3) == 50);
  }
  exec_sql(cluster, "DROP DATABASE " + name);
}
