// Process-wide logging to stderr, one line per event.
//
// Thread-safe: each call formats its line first and writes it with a single
// write(2), so lines from concurrent requests never interleave.
#pragma once

#include <string_view>

namespace frameserve::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

// Lines below this level are dropped. Defaults to info; the CLI lowers the
// default to warn for one-shot commands so their stdout/stderr stay clean.
void set_level(Level level);
Level level();
bool parse_level(std::string_view text, Level& out);

void debug(std::string_view message);
void info(std::string_view message);
void warn(std::string_view message);
void error(std::string_view message);

}  // namespace frameserve::log
