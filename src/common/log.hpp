// Process-wide logging to stderr, one line per event.
//
// Thread-safe: each call formats its line first and writes it with a single
// write(2), so lines from concurrent requests never interleave.
//
// Every message is written as one line of valid UTF-8, whatever it holds:
// the writer escapes line breaks and other control characters, backslashes,
// bytes that are not UTF-8 and the code points that move or reorder text
// (see escape), and cuts a message longer than k_max_message_bytes. Values a
// client chose (a token's subject, a request target) are bounded where they
// are put into a message, with field().
//
// A thread may carry a context (e.g. "request_id=abc") that is appended to
// every line it writes: an HTTP worker sets it for the request it handles,
// so every line about that request's ffmpeg children names the request.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace frameserve::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

// Lines below this level are dropped. Defaults to info; the CLI lowers the
// default to warn for one-shot commands so their stdout/stderr stay clean.
void set_level(Level level);
Level level();
bool parse_level(std::string_view text, Level& out);

// The context appended to this thread's lines; empty clears it.
void set_thread_context(std::string_view context);

// The longest message a line holds, in bytes before escaping; the rest is
// cut (see field). The thread's context is appended after it, whole.
constexpr size_t k_max_message_bytes = 8192;
// The longest client-chosen value field() keeps by default, in bytes.
constexpr size_t k_max_field_bytes = 200;

// A value a client chose, bounded for a log line: at most `max_bytes` bytes
// of it, cut at a character boundary and followed by "...(N more bytes)"
// when longer. Escaping is left to the writer. Never fails.
std::string field(std::string_view value, size_t max_bytes = k_max_field_bytes);
// `text` as one line of printable, valid UTF-8: \n, \r, \t and \\ for line
// breaks, tabs and backslashes, \xNN for other control characters and for
// bytes that are not UTF-8, \uNNNN for C1 controls, U+2028/U+2029 and the
// bidirectional controls (which would move the text around them on screen).
// The writer applies it to every line. Never fails.
std::string escape(std::string_view text);

void debug(std::string_view message);
void info(std::string_view message);
void warn(std::string_view message);
void error(std::string_view message);

}  // namespace frameserve::log
