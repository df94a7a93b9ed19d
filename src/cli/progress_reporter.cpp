#include "cli/progress_reporter.hpp"

#include <unistd.h>

#include "common/text.hpp"

namespace frameserve::cli {

namespace {
using Clock = std::chrono::steady_clock;
// Redrawing more often than this only costs the command time.
constexpr auto k_interval = std::chrono::milliseconds(250);

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}
}  // namespace

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) != 0; }

Result<std::unique_ptr<ProgressReporter>> ProgressReporter::open(const std::string& destination, bool terminal) {
  std::FILE* out = nullptr;
  bool owns = false;
  if (destination == "-") {
    out = stdout;
  } else if (!destination.empty()) {
    out = std::fopen(destination.c_str(), "w");
    if (out == nullptr) {
      return invalid_argument("unwritable_progress", "--progress: cannot create " + quote_for_message(destination) +
                                                         "; give a writable file or -");
    }
    owns = true;
  }
  return std::unique_ptr<ProgressReporter>(new ProgressReporter(out, owns, terminal));
}

ProgressReporter::ProgressReporter(std::FILE* out, bool owns, bool terminal)
    : m_out(out), m_owns(owns), m_terminal(terminal), m_start(Clock::now()), m_stage_start(m_start), m_last() {}

ProgressReporter::~ProgressReporter() {
  finish();
  if (m_owns) std::fclose(m_out);
}

void ProgressReporter::write_block(bool end) {
  if (m_out == nullptr) return;
  Clock::time_point now = Clock::now();
  double stage_secs = seconds_between(m_stage_start, now);
  double speed = stage_secs > 0 ? static_cast<double>(m_done) / stage_secs : 0;
  std::string block;
  if (!m_stage.empty()) {
    block += "stage=" + m_stage + "\n";
    block += m_unit + "=" + std::to_string(m_done) + "\n";
    if (m_total > 0) block += "total_" + m_unit + "=" + std::to_string(m_total) + "\n";
    block += "speed=" + format_fixed(speed, 1) + "\n";
  }
  block +=
      "elapsed_us=" + std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(now - m_start).count()) +
      "\n";
  block += end ? "progress=end\n" : "progress=continue\n";
  std::fputs(block.c_str(), m_out);
  std::fflush(m_out);
}

void ProgressReporter::update(const std::string& stage, const std::string& unit, int64_t done, int64_t total) {
  Clock::time_point now = Clock::now();
  bool new_stage = stage != m_stage;
  if (new_stage) {
    m_stage = stage;
    m_stage_start = now;
  }
  m_unit = unit;
  m_done = done;
  m_total = total;
  if (!new_stage && now - m_last < k_interval) return;
  m_last = now;
  write_block(false);
  if (!m_terminal) return;
  double secs = seconds_between(m_stage_start, now);
  double speed = secs > 0 ? static_cast<double>(done) / secs : 0;
  std::string text = stage + ": " + std::to_string(done);
  if (total > 0) {
    text += " of " + std::to_string(total) + " " + unit + "  " +
            format_fixed(100.0 * static_cast<double>(done) / static_cast<double>(total), 0) + "%";
  } else {
    text += " " + unit;
  }
  if (speed > 0) text += "  " + format_fixed(speed, 0) + "/s";
  if (total > 0 && speed > 0 && done < total) {
    text += "  " + format_fixed(static_cast<double>(total - done) / speed, 0) + " s left";
  }
  std::fprintf(stderr, "\r\033[K%s", text.c_str());
  std::fflush(stderr);
  m_drawn = true;
}

void ProgressReporter::finish() {
  if (m_finished) return;
  m_finished = true;
  write_block(true);
  if (m_drawn) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace frameserve::cli
