#include "support/stderr_capture.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "support/wait_until.hpp"

namespace frameserve::testing {

StderrCapture::StderrCapture() : m_level(log::level()) {
  log::set_level(log::Level::info);
  char tmpl[] = "/tmp/frameserve-stderr.XXXXXX";
  int fd = ::mkstemp(tmpl);
  m_path = tmpl;
  m_saved = ::dup(STDERR_FILENO);
  ::dup2(fd, STDERR_FILENO);
  ::close(fd);
}

StderrCapture::~StderrCapture() {
  log::set_level(m_level);
  ::dup2(m_saved, STDERR_FILENO);
  ::close(m_saved);
  ::unlink(m_path.c_str());
}

std::string StderrCapture::text() const {
  std::ifstream in(m_path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string StderrCapture::wait_for_line(const std::vector<std::string>& parts) const {
  std::string found;
  wait_until(
      [&] {
        std::istringstream lines(text());
        std::string line;
        while (std::getline(lines, line)) {
          bool all = true;
          for (const std::string& part : parts) all = all && line.find(part) != std::string::npos;
          if (all) {
            found = line;
            return true;
          }
        }
        return false;
      },
      k_patience, std::chrono::milliseconds(50));
  return found;
}

}  // namespace frameserve::testing
