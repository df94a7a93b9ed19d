// Small, strict text helpers shared by the HTTP, CLI and import layers.
//
// Parsers here accept the whole input or nothing: "12abc", " 12", "" and
// out-of-range values are rejected, so that a query parameter or a CSV field
// never silently means something else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frameserve {

// Decimal integer, optional leading '-', no spaces, no '+'.
std::optional<int64_t> parse_int64(std::string_view text);
// Decimal floating point ("1", "1.5", "-2.25e3"); rejects nan/inf and spaces.
std::optional<double> parse_double(std::string_view text);

std::string_view trim(std::string_view text);
std::vector<std::string_view> split(std::string_view text, char separator);
bool iequals(std::string_view a, std::string_view b);

// True for exactly 32 lowercase hex digits (a file_uuid).
bool is_file_uuid(std::string_view text);
// True for a canonical 8-4-4-4-12 UUID in lowercase or uppercase hex.
bool is_identity_uuid(std::string_view text);
std::string to_lower_ascii(std::string_view text);

std::string hex_encode(const unsigned char* data, size_t size);

// Formats a double with a fixed number of decimals ("2727.72"), never in
// exponent notation. Used where a stable textual form matters (logs, CLI).
std::string format_fixed(double value, int decimals);

// Formats microseconds since the Unix epoch as ISO 8601 in UTC with
// microseconds ("2026-11-25T09:10:48.123456Z"), as JSON timestamps are.
std::string format_utc_timestamp(int64_t epoch_us);

// The last component of a path ("/media/film.mp4" -> "film.mp4").
std::string_view path_file_name(std::string_view path);

// Length in bytes of the well-formed UTF-8 sequence at the start of `text`
// (1 to 4), or 0 when it does not start with one: a stray continuation byte,
// a truncated sequence, an overlong form, a surrogate or a code point above
// U+10FFFF. Never reads past `text`.
size_t utf8_sequence_length(std::string_view text);
bool is_valid_utf8(std::string_view text);
// `text` with every byte that is not part of a well-formed UTF-8 sequence
// replaced by U+FFFD, so that whatever a client sent can be put into JSON.
// Returns valid input unchanged. Never fails.
std::string to_valid_utf8(std::string_view text);

// Quotes a string for display in an error message: control characters and
// bytes that are not UTF-8 are escaped (\xNN) and long values shortened
// (never inside a character), so a hostile value can neither forge lines nor
// make the message invalid UTF-8.
std::string quote_for_message(std::string_view value, size_t max_length = 80);

}  // namespace frameserve
