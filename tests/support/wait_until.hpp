// The one way tests wait for something to happen (a child to be reaped, a
// counter to move, a signal to be handled, a log line to appear): check it
// every few milliseconds until it holds or a generous bound has passed.
// Never a fixed sleep that hopes it was long enough, and never a bound that
// asserts speed: the bound only ends a test that would otherwise hang, and
// what must be fast is a row of the bench (tests/bench). Used by the bench
// too, so it needs no doctest.
#pragma once

#include <chrono>
#include <thread>

namespace frameserve::testing {

// How long a test waits for something that normally takes well under a
// second before it gives up: generous, so that a busy 2-core machine or
// the sanitizer build cannot make a test flaky, yet far below the server's
// own 120 s write timeout and 6 h stream deadline, which would otherwise
// end what a test waits for and hide a missing mechanism.
inline constexpr std::chrono::milliseconds k_patience{30000};

// Calls `done` every `interval` until it returns true (then true) or
// `within` has passed since the first call (then false).
template <typename Done>
bool wait_until(Done&& done, std::chrono::milliseconds within = k_patience,
                std::chrono::milliseconds interval = std::chrono::milliseconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace frameserve::testing
