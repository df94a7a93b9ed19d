// CopyBinaryWriter: rows in PostgreSQL's binary COPY format, appended to a
// caller's buffer (the one Session::copy_in hands its producer).
//
// Why binary: the server stores the values as they arrive instead of parsing
// text (uuid_in, float8in and int4in were a third of an import's COPY time
// for a million detections). The layout is PostgreSQL's documented one
// ("COPY ... WITH (FORMAT binary)"): an 11-byte signature, flags and header
// extension length, then per row a 16-bit field count and per field a 32-bit
// length (-1 for NULL) and the value in network byte order; a 16-bit -1 ends
// the data. Each field's type must be the column's exact type: the server
// checks only lengths, so an int4 value sent to a bigint column is an error
// ("incorrect binary data format"), never a silent misreading.
//
// Pure functions of their arguments; no state; thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace frameserve::db::copy_binary {

namespace detail {
template <typename Unsigned>
void append_big_endian(std::string& out, Unsigned value) {
  char bytes[sizeof(Unsigned)];
  for (size_t i = 0; i < sizeof(Unsigned); ++i) {
    bytes[sizeof(Unsigned) - 1 - i] = static_cast<char>(value & 0xff);
    value = static_cast<Unsigned>(value >> 8);
  }
  out.append(bytes, sizeof bytes);
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace detail

// The start of the data: signature, no flags, no header extension.
inline void append_header(std::string& out) {
  static constexpr char k_signature[] = "PGCOPY\n\xff\r\n";
  out.append(k_signature, sizeof k_signature);  // 11 bytes: the 10 shown and the NUL
  detail::append_big_endian<uint32_t>(out, 0);
  detail::append_big_endian<uint32_t>(out, 0);
}

// The end of the data.
inline void append_trailer(std::string& out) { detail::append_big_endian<uint16_t>(out, 0xffff); }

// A row of `fields` values follows.
inline void append_row_start(std::string& out, uint16_t fields) { detail::append_big_endian<uint16_t>(out, fields); }

inline void append_int4(std::string& out, int32_t value) {
  detail::append_big_endian<uint32_t>(out, 4);
  detail::append_big_endian<uint32_t>(out, static_cast<uint32_t>(value));
}

inline void append_int8(std::string& out, int64_t value) {
  detail::append_big_endian<uint32_t>(out, 8);
  detail::append_big_endian<uint64_t>(out, static_cast<uint64_t>(value));
}

inline void append_float8(std::string& out, double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  detail::append_big_endian<uint32_t>(out, 8);
  detail::append_big_endian<uint64_t>(out, bits);
}

inline void append_null(std::string& out) { detail::append_big_endian<uint32_t>(out, 0xffffffffu); }

// A uuid field from its 16 bytes (see uuid_bytes), or NULL when empty.
inline void append_uuid_bytes(std::string& out, std::string_view bytes) {
  if (bytes.empty()) {
    append_null(out);
    return;
  }
  detail::append_big_endian<uint32_t>(out, 16);
  out.append(bytes.data(), bytes.size());
}

// The 16 bytes of a uuid written as 32 hex digits, with or without the
// 8-4-4-4-12 dashes; "" when the text is anything else (the caller has
// validated it, so "" means a caller's bug and becomes a NULL or a COPY
// error, never a wrong uuid).
inline std::string uuid_bytes(std::string_view text) {
  std::string out;
  int high = -1;
  for (char c : text) {
    if (c == '-') continue;
    int value = detail::hex_value(c);
    if (value < 0) return "";
    if (high < 0) {
      high = value;
    } else {
      out.push_back(static_cast<char>(high * 16 + value));
      high = -1;
    }
  }
  return out.size() == 16 && high < 0 ? out : "";
}

}  // namespace frameserve::db::copy_binary
