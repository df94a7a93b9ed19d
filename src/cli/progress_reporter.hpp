// ProgressReporter: the progress of a long CLI command (issue 9 §5).
//
// Two audiences. A person at a terminal sees one line on stderr, rewritten
// in place ("stored 420000 of 1000000 detections  42%  310000/s  2 s left"),
// and nothing at all when stderr is a pipe or a file, so scripts capture
// only what the command prints. A program asks with `--progress FILE|-` and
// gets blocks of key=value lines in the manner of ffmpeg's -progress, each
// block ending with progress=continue, the last with progress=end:
//   stage=store
//   detections=420000
//   total_detections=1000000
//   speed=310000.0
//   elapsed_us=1354000
//   progress=continue
// `-` writes them to stdout (then the command's own output goes there too).
//
// Owns the progress file. Not thread-safe; one per command.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "common/result.hpp"

namespace frameserve::cli {

class ProgressReporter {
 public:
  // `destination`: "" for none, "-" for stdout, else a file to create.
  // `terminal`: whether to draw the line on stderr (when it is a tty).
  // Errors: `invalid_argument` ("unwritable_progress") when the file cannot
  // be created.
  static Result<std::unique_ptr<ProgressReporter>> open(const std::string& destination, bool terminal);
  ~ProgressReporter();

  // `done` of `total` (0: unknown) `unit`s in `stage`; at most a few
  // updates a second reach the outputs, except the first of each stage.
  // Cannot fail (a full disk loses progress lines, not the command).
  void update(const std::string& stage, const std::string& unit, int64_t done, int64_t total);
  // The last block (progress=end) and a cleared terminal line.
  void finish();

 private:
  ProgressReporter(std::FILE* out, bool owns, bool terminal);
  void write_block(bool end);

  std::FILE* m_out;
  bool m_owns;
  bool m_terminal;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_stage_start;
  std::chrono::steady_clock::time_point m_last;
  std::string m_stage;
  std::string m_unit;
  int64_t m_done = 0;
  int64_t m_total = 0;
  bool m_drawn = false;
  bool m_finished = false;
};

// Whether stderr is a terminal; cannot fail.
bool stderr_is_terminal();

}  // namespace frameserve::cli
