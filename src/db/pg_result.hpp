// PgResult: sole owner of a libpq PGresult, with typed accessors.
//
// Results are in text format unless a query asked for binary; accessors
// parse text strictly and return std::nullopt for SQL NULL.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace frameserve::db {

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* result) : m_result(result) {}
  ~PgResult() {
    if (m_result) PQclear(m_result);
  }
  PgResult(PgResult&& other) noexcept : m_result(other.m_result) { other.m_result = nullptr; }
  PgResult& operator=(PgResult&& other) noexcept {
    if (this != &other) {
      if (m_result) PQclear(m_result);
      m_result = other.m_result;
      other.m_result = nullptr;
    }
    return *this;
  }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  PGresult* get() const { return m_result; }
  int rows() const { return m_result ? PQntuples(m_result) : 0; }
  int affected_rows() const;
  bool is_null(int row, int col) const { return PQgetisnull(m_result, row, col) != 0; }

  std::string_view text(int row, int col) const {
    return std::string_view(PQgetvalue(m_result, row, col), static_cast<size_t>(PQgetlength(m_result, row, col)));
  }
  std::string string(int row, int col) const { return std::string(text(row, col)); }
  std::optional<std::string> optional_string(int row, int col) const;
  int64_t int64(int row, int col) const;  // 0 for NULL; the schema says NOT NULL where used
  std::optional<int64_t> optional_int64(int row, int col) const;
  double float64(int row, int col) const;
  bool boolean(int row, int col) const { return text(row, col) == "t"; }

 private:
  PGresult* m_result = nullptr;
};

}  // namespace frameserve::db
