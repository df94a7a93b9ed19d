// doctest's main. SIGPIPE is ignored as in frameserve itself, so a test
// that writes to a closed socket or pipe sees an error instead of dying.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <signal.h>

#include <cstdlib>

#include "common/log.hpp"

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  // In-process servers log every request; keep the test output readable
  // unless asked (FRAMESERVE_TEST_LOG_LEVEL=info).
  frameserve::log::Level level = frameserve::log::Level::warn;
  if (const char* wanted = std::getenv("FRAMESERVE_TEST_LOG_LEVEL")) frameserve::log::parse_level(wanted, level);
  frameserve::log::set_level(level);
  doctest::Context context(argc, argv);
  return context.run();
}
