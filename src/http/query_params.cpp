#include "http/query_params.hpp"

#include "common/text.hpp"

namespace frameserve::http {

namespace {
Error bad_param(const std::string& name, const std::string& message) {
  return invalid_argument("invalid_parameter", name + " " + message);
}
}  // namespace

Result<std::optional<std::string>> QueryParams::text(const char* name) const {
  size_t count = m_req.get_param_value_count(name);
  if (count == 0) return std::optional<std::string>();
  if (count > 1) return bad_param(name, "was given more than once");
  return std::optional<std::string>(m_req.get_param_value(name));
}

Result<std::optional<int64_t>> QueryParams::integer(const char* name, int64_t min, int64_t max) const {
  auto raw = text(name);
  if (!raw) return raw.error();
  if (!raw.value()) return std::optional<int64_t>();
  auto value = parse_int64(*raw.value());
  if (!value || *value < min || *value > max) {
    std::string range = max >= INT32_MAX ? ">= " + std::to_string(min)
                                         : "between " + std::to_string(min) + " and " + std::to_string(max);
    return bad_param(name, "must be a whole number " + range + " (got " + quote_for_message(*raw.value()) + ")");
  }
  return std::optional<int64_t>(*value);
}

Result<int64_t> QueryParams::required_integer(const char* name, int64_t min, int64_t max) const {
  auto value = integer(name, min, max);
  if (!value) return value.error();
  if (!value.value()) return bad_param(name, "is required");
  return *value.value();
}

Result<std::optional<double>> QueryParams::number(const char* name, double min, double max) const {
  auto raw = text(name);
  if (!raw) return raw.error();
  if (!raw.value()) return std::optional<double>();
  auto value = parse_double(*raw.value());
  if (!value || *value < min || *value > max) {
    return bad_param(name, "must be a number between " + format_fixed(min, 0) + " and " + format_fixed(max, 0) +
                               " (got " + quote_for_message(*raw.value()) + ")");
  }
  return std::optional<double>(*value);
}

Result<std::string> QueryParams::choice(const char* name, std::initializer_list<const char*> choices,
                                        const char* fallback) const {
  auto raw = text(name);
  if (!raw) return raw.error();
  if (!raw.value()) return std::string(fallback);
  std::string allowed;
  for (const char* c : choices) {
    if (*raw.value() == c) return *raw.value();
    allowed += allowed.empty() ? "" : ", ";
    allowed += c;
  }
  return bad_param(name, "must be one of " + allowed + " (got " + quote_for_message(*raw.value()) + ")");
}

}  // namespace frameserve::http
