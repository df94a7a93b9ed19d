#include "import/line_splitter.hpp"

namespace frameserve::import {

namespace {
constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";
}  // namespace

Error LineSplitter::too_long() const {
  const std::string bound = std::to_string(m_max_line_bytes);
  return invalid_argument("bad_detection", "line " + std::to_string(m_line_number + 1) + ": longer than " + bound +
                                               " bytes; a detection line is at most " + bound +
                                               " bytes (its fields need a few hundred, the rest leaves room for "
                                               "other members such as \"extra\")");
}

Status LineSplitter::take(std::string_view line, const LineHandler& on_line) {
  // The mark is checked on the whole first line, so it is found also when
  // its three bytes arrived in different chunks.
  if (m_line_number == 0 && line.substr(0, k_utf8_bom.size()) == k_utf8_bom) line.remove_prefix(k_utf8_bom.size());
  ++m_line_number;
  return on_line(line, m_line_number);
}

Status LineSplitter::feed(std::string_view chunk, const LineHandler& on_line) {
  while (!chunk.empty()) {
    size_t newline = chunk.find('\n');
    size_t piece = newline == std::string_view::npos ? chunk.size() : newline;
    // A byte-order mark counts towards the first line's bound.
    if (m_partial.size() + piece > m_max_line_bytes) return too_long();
    if (newline == std::string_view::npos) {
      m_partial.append(chunk);
      break;
    }
    Status taken;
    if (m_partial.empty()) {
      taken = take(chunk.substr(0, newline), on_line);
    } else {
      m_partial.append(chunk.substr(0, newline));
      taken = take(m_partial, on_line);
      m_partial.clear();
    }
    if (!taken) return taken;
    chunk.remove_prefix(newline + 1);
  }
  return Status();
}

Status LineSplitter::finish(const LineHandler& on_line) {
  if (m_partial.empty()) return Status();
  std::string last = std::move(m_partial);
  m_partial.clear();
  return take(last, on_line);
}

}  // namespace frameserve::import
