// StderrCapture: this process's stderr (where frameserve logs) redirected to
// a file while alive, at log level info, so a test can read the log lines a
// request produced in-process (TestServer). Restores stderr and the log
// level on destruction.
#pragma once

#include <string>
#include <vector>

#include "common/log.hpp"

namespace frameserve::testing {

class StderrCapture {
 public:
  StderrCapture();
  ~StderrCapture();
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  // Everything written to stderr since the capture began.
  std::string text() const;
  // Waits (a bounded while: 10 s) for a line holding every one of `parts`;
  // the line, or "" when none came.
  std::string wait_for_line(const std::vector<std::string>& parts) const;

 private:
  log::Level m_level;
  std::string m_path;
  int m_saved = -1;
};

}  // namespace frameserve::testing
