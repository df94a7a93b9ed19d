// A test case that cannot run what it needs (a tool that is missing or
// fails to start, a situation it could not bring about) must not pass by
// not running. Under scripts/run_tests.sh, which every `make test` and CI
// run goes through, FRAMESERVE_TEST_STRICT=1 and such a test case FAILS
// with the reason. A test binary run by hand skips it instead, and the run
// ends with the count and the list of the test cases it skipped
// (print_skipped_tests, called by tests/test_main.cpp).
#pragma once

#include <ostream>
#include <string>

namespace frameserve::testing {

// Whether this run must have everything it needs (FRAMESERVE_TEST_STRICT=1).
bool strict_run();

// The current test case cannot go on because `why`. In a strict run this
// FAILs the test case (doctest's FAIL throws: the caller never resumes);
// otherwise it records the skip and returns, and the caller must return.
void skip_or_fail(const std::string& why);

// Prints "skipped N test case(s) ..." and one line per skipped test case
// with its reason to `out`; prints nothing when none was skipped. Returns N.
size_t print_skipped_tests(std::ostream& out);

}  // namespace frameserve::testing
