#include "process/drain.hpp"

#include <atomic>
#include <cstdint>
#include <limits>

namespace frameserve::process {

namespace {
// Steady-clock ticks of the deadline; max() means "not draining".
std::atomic<int64_t> g_deadline{std::numeric_limits<int64_t>::max()};
}  // namespace

void begin_drain(std::chrono::steady_clock::time_point deadline) {
  int64_t ticks = deadline.time_since_epoch().count();
  int64_t current = g_deadline.load();
  while (ticks < current && !g_deadline.compare_exchange_weak(current, ticks)) {}
}

bool draining() { return g_deadline.load() != std::numeric_limits<int64_t>::max(); }

std::chrono::steady_clock::time_point drain_deadline() {
  return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(g_deadline.load()));
}

}  // namespace frameserve::process
