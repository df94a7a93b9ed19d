#include "process/job_limiter.hpp"

#include <algorithm>
#include <climits>

#include "common/metrics.hpp"
#include "process/cancellation.hpp"
#include "process/drain.hpp"
#include "process/job_metrics.hpp"

namespace frameserve::process {

JobSlot::JobSlot(JobSlot&& other) noexcept
    : m_limiter(std::exchange(other.m_limiter, nullptr)),
      m_class(other.m_class),
      m_parked(std::exchange(other.m_parked, false)),
      m_started(other.m_started) {}

JobSlot& JobSlot::operator=(JobSlot&& other) noexcept {
  if (this != &other) {
    release();
    m_limiter = std::exchange(other.m_limiter, nullptr);
    m_class = other.m_class;
    m_parked = std::exchange(other.m_parked, false);
    m_started = other.m_started;
  }
  return *this;
}

void JobSlot::release() {
  if (m_limiter != nullptr) {
    if (m_parked) {
      m_limiter->resume(m_class);  // count it again, so that release() balances
      m_parked = false;
    }
    m_limiter->release(m_class);
    m_limiter = nullptr;
    metrics::observe(metrics::get().job_seconds, {{"kind", job_kind(m_class)}},
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count());
  }
}

void JobSlot::park() {
  if (m_limiter == nullptr || m_parked) return;
  m_limiter->park(m_class);
  m_parked = true;
}

void JobSlot::resume() {
  if (m_limiter == nullptr || !m_parked) return;
  m_limiter->resume(m_class);
  m_parked = false;
}

JobLimiter::JobLimiter(int capacity, int stream_reserve, int max_waiters)
    : m_capacity(capacity <= 0 ? INT_MAX : capacity),
      m_stream_capacity(capacity <= 0  ? INT_MAX
                        : capacity > 1 ? std::max(1, capacity - std::max(0, stream_reserve))
                                       : capacity),
      m_max_waiters(std::max(0, max_waiters)) {}

bool JobLimiter::can_start(JobClass cls) const {
  if (m_running >= m_capacity) return false;
  return cls == JobClass::short_job || m_running_streams < m_stream_capacity;
}

namespace {
Error draining_error() {
  return unavailable("draining", "the server is shutting down and starts no new ffmpeg job; retry shortly", 1);
}
void count_rejected(JobClass cls) { metrics::get().jobs_rejected.Add({{"kind", job_kind(cls)}}).Increment(); }
}  // namespace

Result<JobSlot> JobLimiter::acquire(JobClass cls, std::chrono::milliseconds wait) {
  std::unique_lock lock(m_mutex);
  if (draining()) {
    ++m_rejected;
    count_rejected(cls);
    return draining_error();
  }
  auto& queue = cls == JobClass::stream ? m_stream_queue : m_short_queue;
  if (queue.empty() && can_start(cls)) {
    ++m_running;
    if (cls == JobClass::stream) ++m_running_streams;
    return JobSlot(this, cls);
  }
  int waiting = static_cast<int>(m_short_queue.size() + m_stream_queue.size());
  if (waiting >= m_max_waiters || wait.count() <= 0) {
    ++m_rejected;
    count_rejected(cls);
    return unavailable(
        "too_busy",
        "all " + std::to_string(m_capacity) + " ffmpeg job slots are busy and the queue is full; retry shortly", 2);
  }
  uint64_t ticket = m_next_ticket++;
  queue.push_back(ticket);
  // Waits in short slices: a requester that went away leaves the queue at
  // once instead of holding its place (and its slot, once admitted).
  auto give_up_at = std::chrono::steady_clock::now() + wait;
  bool admitted = false;
  bool gone = false;
  while (true) {
    admitted = m_changed.wait_until(lock, std::min(give_up_at, std::chrono::steady_clock::now() + k_cancel_poll),
                                    [&] { return queue.front() == ticket && can_start(cls); });
    if (admitted || std::chrono::steady_clock::now() >= give_up_at || draining()) break;
    if (cancelled()) {
      gone = true;
      break;
    }
  }
  if (admitted && draining()) admitted = false;  // admitted too late: no job starts while draining
  queue.erase(std::find(queue.begin(), queue.end(), ticket));
  if (gone) {
    m_changed.notify_all();
    return unavailable("client_gone", "the client went away while waiting for an ffmpeg job slot", 1);
  }
  if (!admitted) {
    ++m_rejected;
    count_rejected(cls);
    if (draining()) {
      m_changed.notify_all();
      return draining_error();
    }
    m_changed.notify_all();  // the next in line may now be at the front
    return unavailable("too_busy",
                       "all " + std::to_string(m_capacity) + " ffmpeg job slots stayed busy for " +
                           std::to_string(wait.count()) + " ms; retry shortly",
                       std::max<int>(1, static_cast<int>(wait.count() / 1000)));
  }
  ++m_running;
  if (cls == JobClass::stream) ++m_running_streams;
  m_changed.notify_all();
  return JobSlot(this, cls);
}

void JobLimiter::park(JobClass cls) {
  {
    std::lock_guard lock(m_mutex);
    --m_running;
    if (cls == JobClass::stream) --m_running_streams;
    ++m_parked;
  }
  m_changed.notify_all();
}

void JobLimiter::resume(JobClass cls) {
  std::lock_guard lock(m_mutex);
  ++m_running;
  if (cls == JobClass::stream) ++m_running_streams;
  --m_parked;
}

void JobLimiter::release(JobClass cls) {
  {
    std::lock_guard lock(m_mutex);
    --m_running;
    if (cls == JobClass::stream) --m_running_streams;
  }
  m_changed.notify_all();
}

JobLimiter::Stats JobLimiter::stats() const {
  std::lock_guard lock(m_mutex);
  return Stats{m_running,
               m_running_streams,
               static_cast<int>(m_short_queue.size() + m_stream_queue.size()),
               m_parked,
               m_capacity == INT_MAX ? 0 : m_capacity,
               m_rejected};
}

}  // namespace frameserve::process
