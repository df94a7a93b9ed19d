#include "common/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

#include "common/text.hpp"

namespace frameserve::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::info)};
thread_local std::string t_context;

// The code point of a well-formed UTF-8 sequence of `length` bytes.
uint32_t code_point(std::string_view sequence, size_t length) {
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(sequence[i])); };
  if (length == 2) return (byte(0) & 0x1f) << 6 | (byte(1) & 0x3f);
  if (length == 3) return (byte(0) & 0x0f) << 12 | (byte(1) & 0x3f) << 6 | (byte(2) & 0x3f);
  return (byte(0) & 0x07) << 18 | (byte(1) & 0x3f) << 12 | (byte(2) & 0x3f) << 6 | (byte(3) & 0x3f);
}

// C1 controls (U+0085 is a line break to some readers), the line and
// paragraph separators, and the bidirectional marks, embeddings, overrides
// and isolates.
bool is_invisible_control(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

bool plain(std::string_view text) {
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || u == '\\') return false;
  }
  return true;
}

void emit(Level lvl, const char* tag, std::string_view message) {
  if (static_cast<int>(lvl) < g_level.load(std::memory_order_relaxed)) return;
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm_utc{};
  gmtime_r(&secs, &tm_utc);
  char stamp[80];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm_utc.tm_year + 1900, tm_utc.tm_mon + 1,
                tm_utc.tm_mday, tm_utc.tm_hour, tm_utc.tm_min, tm_utc.tm_sec, static_cast<int>(millis));
  std::string line;
  line.reserve(std::min(message.size(), k_max_message_bytes) + 64);
  line += stamp;
  line += ' ';
  line += tag;
  line += ' ';
  line += message.size() > k_max_message_bytes ? escape(field(message, k_max_message_bytes)) : escape(message);
  if (!t_context.empty()) {
    line += ' ';
    line += escape(t_context);
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

std::string field(std::string_view value, size_t max_bytes) {
  if (value.size() <= max_bytes) return std::string(value);
  // Back off to the start of the character the cut would split.
  size_t cut = max_bytes;
  while (cut > 0 && cut > max_bytes - 3 && (static_cast<unsigned char>(value[cut]) & 0xc0) == 0x80) --cut;
  return std::string(value.substr(0, cut)) + "...(" + std::to_string(value.size() - cut) + " more bytes)";
}

std::string escape(std::string_view text) {
  if (plain(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  char buffer[16];
  for (size_t i = 0; i < text.size();) {
    unsigned char u = static_cast<unsigned char>(text[i]);
    size_t length = utf8_sequence_length(text.substr(i));
    if (length == 1) {
      if (u == '\n')
        out += "\\n";
      else if (u == '\r')
        out += "\\r";
      else if (u == '\t')
        out += "\\t";
      else if (u == '\\')
        out += "\\\\";
      else if (u < 0x20 || u == 0x7f) {
        std::snprintf(buffer, sizeof buffer, "\\x%02x", u);
        out += buffer;
      } else {
        out.push_back(static_cast<char>(u));
      }
      ++i;
    } else if (length == 0) {
      std::snprintf(buffer, sizeof buffer, "\\x%02x", u);
      out += buffer;
      ++i;
    } else {
      uint32_t cp = code_point(text.substr(i), length);
      if (is_invisible_control(cp)) {
        std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(cp));
        out += buffer;
      } else {
        out.append(text.substr(i, length));
      }
      i += length;
    }
  }
  return out;
}

void set_level(Level lvl) { g_level.store(static_cast<int>(lvl)); }
Level level() { return static_cast<Level>(g_level.load()); }

bool parse_level(std::string_view text, Level& out) {
  if (text == "debug")
    out = Level::debug;
  else if (text == "info")
    out = Level::info;
  else if (text == "warn")
    out = Level::warn;
  else if (text == "error")
    out = Level::error;
  else if (text == "off")
    out = Level::off;
  else
    return false;
  return true;
}

void set_thread_context(std::string_view context) { t_context.assign(context); }

void debug(std::string_view message) { emit(Level::debug, "DEBUG", message); }
void info(std::string_view message) { emit(Level::info, "INFO", message); }
void warn(std::string_view message) { emit(Level::warn, "WARN", message); }
void error(std::string_view message) { emit(Level::error, "ERROR", message); }

}  // namespace frameserve::log
