// JsonWriter: a thin, chainable wrapper over RapidJSON's streaming writer.
//
// Builds compact UTF-8 JSON in memory. Strings are escaped by RapidJSON, so
// names from the database (quotes, backslashes, non-ASCII) come out intact.
// The output is always valid UTF-8: bytes in keys or strings that are not
// part of a UTF-8 sequence are written as U+FFFD.
// Non-finite doubles are written as null: JSON has no NaN.
// Not thread-safe; one writer per response.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace frameserve {

class JsonWriter {
 public:
  JsonWriter();
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view value);
  JsonWriter& integer(int64_t value);
  // Doubles are written with at most `k_max_decimals` decimals, enough for
  // timestamps in microseconds and scores, without float noise.
  JsonWriter& number(double value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();

  // Convenience: key followed by value.
  JsonWriter& field(std::string_view name, std::string_view value) { return key(name).string(value); }
  JsonWriter& field(std::string_view name, const char* value) { return key(name).string(value); }
  JsonWriter& field(std::string_view name, int64_t value) { return key(name).integer(value); }
  JsonWriter& field(std::string_view name, int value) { return key(name).integer(value); }
  JsonWriter& field(std::string_view name, double value) { return key(name).number(value); }
  JsonWriter& field(std::string_view name, bool value) { return key(name).boolean(value); }

  // The document so far. The writer must be complete (all objects closed).
  std::string str() const;

  static constexpr int k_max_decimals = 6;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// {"success":false,"error":{"code":...,"message":...}}
std::string error_json(std::string_view code, std::string_view message);

}  // namespace frameserve
