#include "support/test_env.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <libpq-fe.h>

#include "app/server_options.hpp"
#include "common/text.hpp"
#include "db/migrations.hpp"
#include "process/child_process.hpp"
#include "process/output_reader.hpp"

namespace frameserve::testing {

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

std::string repo_root() { return env_or("FRAMESERVE_ROOT", "."); }
std::string fixture_path(const std::string& name) {
  return env_or("FRAMESERVE_FIXTURES", "build/fixtures") + "/" + name;
}
std::string frameserve_bin() { return env_or("FRAMESERVE_BIN", repo_root() + "/build/frameserve"); }
std::string test_pg_dir() { return env_or("FRAMESERVE_TEST_PG_DIR", ""); }

namespace {
void admin_exec(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot reach the test cluster (" + conninfo + "): " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
  PGresult* r = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string message = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("test setup SQL failed: " + message);
}
}  // namespace

const std::string& test_conninfo() {
  static const std::string conninfo = [] {
    std::string cluster = env_or("FRAMESERVE_TEST_CONNINFO", "");
    if (cluster.empty())
      throw std::runtime_error("FRAMESERVE_TEST_CONNINFO is not set; run the tests with `make test`");
    std::string name = "fs_test_" + std::to_string(::getpid());
    admin_exec(cluster, "DROP DATABASE IF EXISTS " + name);
    admin_exec(cluster, "CREATE DATABASE " + name);
    std::string mine = cluster + " dbname=" + name;
    db::ConnectionPool pool(db::PoolOptions{mine, 1});
    db::Database database(pool);
    auto applied = db::apply_migrations(database);
    if (!applied) throw std::runtime_error("migrating the test database failed: " + applied.error().message);
    return mine;
  }();
  return conninfo;
}

app::AppContext& shared_app() {
  static std::unique_ptr<app::AppContext> app = [] {
    // As a one-shot command builds its services (cli::CliContext::app).
    app::AppOptions options = app::one_shot_options(test_conninfo(), "test-secret");
    options.db_pool_size = 4;
    auto created = app::AppContext::create(options);
    if (!created) throw std::runtime_error(created.error().message);
    return std::move(created.value());
  }();
  return *app;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input,
                          const std::map<std::string, std::string>& env) {
  std::vector<std::string> full;
  if (!env.empty()) {
    full.push_back("/usr/bin/env");
    for (const auto& [k, v] : env) full.push_back(k + "=" + v);
  }
  full.insert(full.end(), argv.begin(), argv.end());
  CommandResult result;
  auto child = process::ChildProcess::spawn(process::SpawnOptions{full, true});
  if (!child) {
    result.err = child.error().message;
    return result;
  }
  process::ChildProcess& c = *child.value();
  std::thread writer([&c, &input] {
    const char* p = input.data();
    size_t left = input.size();
    while (left > 0) {
      ssize_t n = ::write(c.stdin_fd(), p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<size_t>(n);
    }
    c.close_stdin();
  });
  process::OutputReader reader(c, 1 << 20);
  std::string buffer(1 << 16, '\0');
  while (true) {
    auto chunk = reader.read(buffer.data(), buffer.size(), std::chrono::milliseconds(500));
    if (chunk.status == process::OutputReader::ReadStatus::data)
      result.out.append(buffer.data(), chunk.size);
    else if (chunk.status != process::OutputReader::ReadStatus::timeout)
      break;
  }
  writer.join();
  reader.drain_stderr(std::chrono::milliseconds(5000));
  process::ExitStatus status = c.wait();
  result.err = reader.stderr_tail();
  result.exit_code = status.exited ? status.code : 128 + status.signal;
  return result;
}

CommandResult run_cli(const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {frameserve_bin(), "--db", test_conninfo()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, input);
}

std::string register_own_fixture(const std::string& file_name) {
  CommandResult add = run_cli({"file", "add", fixture_path(file_name)});
  if (add.exit_code != 0) throw std::runtime_error("registering " + file_name + " failed: " + add.err);
  return std::string(trim(add.out));
}

const std::string& registered_fixture(const std::string& file_name) {
  static std::mutex mutex;
  static std::map<std::string, std::string> registered;
  std::lock_guard lock(mutex);
  auto it = registered.find(file_name);
  if (it != registered.end()) return it->second;
  std::string uuid = register_own_fixture(file_name);
  std::string stem = file_name.substr(0, file_name.find_last_of('.'));
  // Fixtures cut or rotated from another have no detections of their own.
  if (::access(fixture_path(stem + ".jsonl").c_str(), R_OK) != 0) {
    return registered.emplace(file_name, uuid).first->second;
  }
  CommandResult imported = run_cli({"import", uuid, fixture_path(stem + ".jsonl")});
  if (imported.exit_code != 0) throw std::runtime_error("importing " + stem + ".jsonl failed: " + imported.err);
  return registered.emplace(file_name, uuid).first->second;
}

const std::string& all_files_key() {
  static const std::string key = [] {
    CommandResult created = run_cli({"key", "create", "--all", "--name", "tests"});
    if (created.exit_code != 0) throw std::runtime_error("creating a key failed: " + created.err);
    return std::string(trim(created.out));
  }();
  return key;
}

}  // namespace frameserve::testing
