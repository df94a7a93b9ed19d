// The test environment prepared by scripts/run_tests.sh: a throwaway
// PostgreSQL cluster, generated fixtures and the frameserve binary under
// test. Each test process creates (and migrates) its own database in that
// cluster, so the plain and sanitizer runs never see each other's data.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/app_context.hpp"

namespace frameserve::testing {

std::string env_or(const char* name, const std::string& fallback);

// Directory of the generated fixtures, and a file in it.
std::string fixture_path(const std::string& name);
// The frameserve binary of the build being tested.
std::string frameserve_bin();
// The repository root (scripts/, sql/).
std::string repo_root();

// Conninfo of this process's test database (created and migrated on first use).
const std::string& test_conninfo();
// The throwaway cluster's directory (for restart tests).
std::string test_pg_dir();

// One AppContext on the test database shared by tests that need services.
app::AppContext& shared_app();

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a program (no shell) with optional stdin, collecting stdout/stderr.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = "",
                          const std::map<std::string, std::string>& env = {});
// Runs `frameserve --db <test db> ARGS...`.
CommandResult run_cli(const std::vector<std::string>& args, const std::string& input = "");

// Registers a fixture (once per process) and imports its jsonl detections,
// when it has any; returns its file_uuid.
const std::string& registered_fixture(const std::string& file_name);
// A registration of the fixture of its own (a new file_uuid, no
// detections), for a test that imports, replaces or deletes them. Throws
// (failing the test) when `file add` fails.
std::string register_own_fixture(const std::string& file_name);

// An API key covering every file (created once per process).
const std::string& all_files_key();

}  // namespace frameserve::testing
