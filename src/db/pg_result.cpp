#include "db/pg_result.hpp"

#include <cmath>
#include <cstdlib>

#include "common/text.hpp"

namespace frameserve::db {

int PgResult::affected_rows() const {
  if (!m_result) return 0;
  const char* count = PQcmdTuples(m_result);
  auto parsed = parse_int64(count ? count : "");
  return parsed ? static_cast<int>(*parsed) : 0;
}

std::optional<std::string> PgResult::optional_string(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return string(row, col);
}

int64_t PgResult::int64(int row, int col) const { return optional_int64(row, col).value_or(0); }

std::optional<int64_t> PgResult::optional_int64(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return parse_int64(text(row, col));
}

double PgResult::float64(int row, int col) const {
  if (is_null(row, col)) return 0.0;
  std::string value = string(row, col);
  if (value == "NaN") return std::nan("");
  return std::strtod(value.c_str(), nullptr);
}

}  // namespace frameserve::db
