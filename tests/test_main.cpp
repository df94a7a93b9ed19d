// doctest's main. SIGPIPE is ignored as in frameserve itself, so a test
// that writes to a closed socket or pipe sees an error instead of dying;
// every response from a TestServer is checked against api/openapi.json;
// the run ends with the list of test cases skipped for want of a tool
// (support/skip_or_fail.hpp).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>

#include "common/log.hpp"
#include "support/contract_checks.hpp"
#include "support/skip_or_fail.hpp"
#include "support/test_server.hpp"

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  // In-process servers log every request; keep the test output readable
  // unless asked (FRAMESERVE_TEST_LOG_LEVEL=info).
  frameserve::log::Level level = frameserve::log::Level::warn;
  if (const char* wanted = std::getenv("FRAMESERVE_TEST_LOG_LEVEL")) frameserve::log::parse_level(wanted, level);
  frameserve::log::set_level(level);
  // Every response a test receives from frameserve is checked against the
  // OpenAPI document.
  frameserve::testing::set_response_observer(frameserve::testing::check_response_contract);
  doctest::Context context(argc, argv);
  int status = context.run();
  frameserve::testing::print_skipped_tests(std::cout);
  return status;
}
