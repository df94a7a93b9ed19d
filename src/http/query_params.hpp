// QueryParams: typed, strict access to a request's query string.
//
// Every getter explains a bad value in its error ("frame must be a whole
// number >= 0 (got "abc")") and rejects a parameter given twice, so a typo
// never silently turns into a default.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace frameserve::http {

class QueryParams {
 public:
  explicit QueryParams(const httplib::Request& req) : m_req(req) {}

  bool has(const char* name) const { return m_req.has_param(name); }

  Result<std::optional<std::string>> text(const char* name) const;
  // Whole number within [min, max].
  Result<std::optional<int64_t>> integer(const char* name, int64_t min, int64_t max) const;
  Result<int64_t> required_integer(const char* name, int64_t min, int64_t max) const;
  // Finite decimal number within [min, max].
  Result<std::optional<double>> number(const char* name, double min, double max) const;
  // One of `choices`; `fallback` when absent.
  Result<std::string> choice(const char* name, std::initializer_list<const char*> choices, const char* fallback) const;

 private:
  const httplib::Request& m_req;
};

}  // namespace frameserve::http
