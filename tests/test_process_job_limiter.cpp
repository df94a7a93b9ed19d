// JobLimiter: the cap, the stream reserve, the bounded queue, parked slots
// and waiters whose requester went away.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>

#include "process/cancellation.hpp"
#include "process/job_limiter.hpp"

using namespace frameserve::process;
using std::chrono::milliseconds;

TEST_CASE("streams may not take the reserved slots; short jobs may") {
  JobLimiter limiter(2, 1, 4);
  auto stream = limiter.acquire(JobClass::stream, milliseconds(0));
  REQUIRE(stream);
  CHECK_FALSE(limiter.acquire(JobClass::stream, milliseconds(0)));
  auto short_job = limiter.acquire(JobClass::short_job, milliseconds(0));
  CHECK(short_job);
}

TEST_CASE("a full queue refuses at once") {
  JobLimiter limiter(1, 0, 0);
  auto held = limiter.acquire(JobClass::short_job, milliseconds(0));
  REQUIRE(held);
  auto refused = limiter.acquire(JobClass::short_job, milliseconds(5000));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("queue is full") != std::string::npos);
}

TEST_CASE("a parked slot is not counted; resuming counts it again even over the cap") {
  JobLimiter limiter(2, 1, 4);
  auto first = limiter.acquire(JobClass::stream, milliseconds(0));
  REQUIRE(first);
  first.value().park();
  CHECK(limiter.stats().running == 0);
  CHECK(limiter.stats().parked == 1);
  auto second = limiter.acquire(JobClass::stream, milliseconds(0));
  REQUIRE(second);
  first.value().resume();
  CHECK(limiter.stats().running == 2);
  CHECK(limiter.stats().running_streams == 2);
  CHECK_FALSE(limiter.acquire(JobClass::short_job, milliseconds(0)));
  first.value().park();
  first.value().release();  // releasing a parked slot leaves the counts balanced
  CHECK(limiter.stats().parked == 0);
  CHECK(limiter.stats().running == 1);
  second.value().release();
  CHECK(limiter.stats().running == 0);
}

TEST_CASE("a waiter whose requester went away leaves the queue") {
  JobLimiter limiter(1, 0, 4);
  auto held = limiter.acquire(JobClass::short_job, milliseconds(0));
  REQUIRE(held);
  std::atomic<int> checks{0};
  CancelScope scope([&] { return checks.fetch_add(1) >= 2; });
  auto gone = limiter.acquire(JobClass::short_job, milliseconds(60000));
  REQUIRE_FALSE(gone);
  CHECK(gone.error().code == "client_gone");
  CHECK(limiter.stats().waiting == 0);
}
