#include "common/log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace frameserve::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::info)};
thread_local std::string t_context;

void emit(Level lvl, const char* tag, std::string_view message) {
  if (static_cast<int>(lvl) < g_level.load(std::memory_order_relaxed)) return;
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm_utc{};
  gmtime_r(&secs, &tm_utc);
  char stamp[80];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm_utc.tm_year + 1900,
                tm_utc.tm_mon + 1, tm_utc.tm_mday, tm_utc.tm_hour, tm_utc.tm_min, tm_utc.tm_sec,
                static_cast<int>(millis));
  std::string line;
  line.reserve(message.size() + 48);
  line += stamp;
  line += ' ';
  line += tag;
  line += ' ';
  line += message;
  if (!t_context.empty()) {
    line += ' ';
    line += t_context;
  }
  line += '\n';
  // One write per line keeps concurrent lines whole; a short write to a
  // terminal or pipe is retried.
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) break;
    p += n;
    left -= static_cast<size_t>(n);
  }
}
}  // namespace

void set_level(Level lvl) { g_level.store(static_cast<int>(lvl)); }
Level level() { return static_cast<Level>(g_level.load()); }

bool parse_level(std::string_view text, Level& out) {
  if (text == "debug") out = Level::debug;
  else if (text == "info") out = Level::info;
  else if (text == "warn") out = Level::warn;
  else if (text == "error") out = Level::error;
  else if (text == "off") out = Level::off;
  else return false;
  return true;
}

void set_thread_context(std::string_view context) { t_context.assign(context); }

void debug(std::string_view message) { emit(Level::debug, "DEBUG", message); }
void info(std::string_view message) { emit(Level::info, "INFO", message); }
void warn(std::string_view message) { emit(Level::warn, "WARN", message); }
void error(std::string_view message) { emit(Level::error, "ERROR", message); }

}  // namespace frameserve::log
