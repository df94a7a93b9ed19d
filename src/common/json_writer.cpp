#include "common/json_writer.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "common/text.hpp"

namespace frameserve {

struct JsonWriter::Impl {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer{buffer};
};

JsonWriter::JsonWriter() : m_impl(std::make_unique<Impl>()) { m_impl->writer.SetMaxDecimalPlaces(k_max_decimals); }
JsonWriter::~JsonWriter() = default;

JsonWriter& JsonWriter::begin_object() {
  m_impl->writer.StartObject();
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  m_impl->writer.EndObject();
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  m_impl->writer.StartArray();
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  m_impl->writer.EndArray();
  return *this;
}

namespace {
// RapidJSON copies bytes into strings as they are, so text that is not UTF-8
// (a client's %ff in a path, a file name in another encoding) would make the
// whole document invalid JSON. Such bytes become U+FFFD; valid text (the
// usual case) is written without a copy.
template <typename Write>
void write_utf8(std::string_view text, Write write) {
  if (is_valid_utf8(text)) {
    write(text);
  } else {
    write(std::string_view(to_valid_utf8(text)));
  }
}
}  // namespace

JsonWriter& JsonWriter::key(std::string_view name) {
  write_utf8(name, [this](std::string_view t) {
    m_impl->writer.Key(t.data(), static_cast<rapidjson::SizeType>(t.size()), true);
  });
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view value) {
  write_utf8(value, [this](std::string_view t) {
    m_impl->writer.String(t.data(), static_cast<rapidjson::SizeType>(t.size()), true);
  });
  return *this;
}

JsonWriter& JsonWriter::integer(int64_t value) {
  m_impl->writer.Int64(value);
  return *this;
}

JsonWriter& JsonWriter::number(double value) {
  // RapidJSON writes whole doubles as "1.0", so clients that expect a
  // float always see one.
  if (std::isfinite(value)) {
    m_impl->writer.Double(value);
  } else {
    m_impl->writer.Null();
  }
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  m_impl->writer.Bool(value);
  return *this;
}
JsonWriter& JsonWriter::null() {
  m_impl->writer.Null();
  return *this;
}

std::string JsonWriter::str() const { return std::string(m_impl->buffer.GetString(), m_impl->buffer.GetSize()); }

std::string error_json(std::string_view code, std::string_view message) {
  JsonWriter w;
  w.begin_object().field("success", false).key("error").begin_object();
  w.field("code", code).field("message", message).end_object().end_object();
  return w.str();
}

}  // namespace frameserve
