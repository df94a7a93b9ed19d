#include "support/skip_or_fail.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <mutex>
#include <utility>
#include <vector>

namespace frameserve::testing {

namespace {

std::mutex g_mutex;
std::string g_current_test;                                  // set by the listener below
std::vector<std::pair<std::string, std::string>> g_skipped;  // test case, reason

// A doctest listener (not a reporter: it prints nothing) that remembers
// which test case is running, so that a skip can say whose it is.
struct CurrentTestListener : doctest::IReporter {
  explicit CurrentTestListener(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData& data) override {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_current_test = data.m_name;
  }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace

DOCTEST_REGISTER_LISTENER("frameserve_current_test", 1, CurrentTestListener);

bool strict_run() {
  const char* strict = std::getenv("FRAMESERVE_TEST_STRICT");
  return strict != nullptr && std::string(strict) == "1";
}

void skip_or_fail(const std::string& why) {
  if (strict_run()) {
    FAIL("cannot run: " << why << " (a failure under scripts/run_tests.sh, FRAMESERVE_TEST_STRICT=1)");
  }
  std::lock_guard<std::mutex> lock(g_mutex);
  // A test case that skips in several places is listed once, with its first reason.
  for (const auto& skipped : g_skipped) {
    if (skipped.first == g_current_test) return;
  }
  g_skipped.emplace_back(g_current_test, why);
}

size_t print_skipped_tests(std::ostream& out) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_skipped.empty()) return 0;
  out << "skipped " << g_skipped.size() << " test case" << (g_skipped.size() == 1 ? "" : "s")
      << " that could not run what they need (FRAMESERVE_TEST_STRICT=1, as scripts/run_tests.sh sets, fails them):\n";
  for (const auto& [name, why] : g_skipped) out << "  " << name << ": " << why << "\n";
  return g_skipped.size();
}

}  // namespace frameserve::testing
