// Versioned schema migrations, embedded in the binary from sql/NNN_name.sql.
//
// apply_migrations() applies, in order, every migration not yet recorded in
// schema_migrations, each in its own transaction, under an advisory lock so
// that two concurrent `frameserve migrate` runs cannot interleave.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/database.hpp"

namespace frameserve::db {

struct Migration {
  std::string name;  // "001_initial"
  std::string sql;
};

const std::vector<Migration>& embedded_migrations();

// Returns the names of the migrations it applied (empty when up to date).
Result<std::vector<std::string>> apply_migrations(Database& database);

// Fails with a clear message when the schema is older than this binary.
Status check_schema_current(Database& database);

}  // namespace frameserve::db
