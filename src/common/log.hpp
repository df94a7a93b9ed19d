// Process-wide logging to stderr, one line per event.
//
// Thread-safe: each call formats its line first and writes it with a single
// write(2), so lines from concurrent requests never interleave.
//
// A thread may carry a context (e.g. "request_id=abc") that is appended to
// every line it writes: an HTTP worker sets it for the request it handles,
// so every line about that request's ffmpeg children names the request.
#pragma once

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

void debug(std::string_view message);
void info(std::string_view message);
void warn(std::string_view message);
void error(std::string_view message);

}  // namespace frameserve::log
