// JobLimiter: the server-wide cap on concurrent ffmpeg jobs (--max-jobs).
//
// A job is one request's ffmpeg work (one child, or the decoder/encoder pair
// of an overlay stream). Requests over the cap wait in FIFO order for a
// short while and then fail with `unavailable` (503 + Retry-After).
//
// Long streams may hold at most `stream_capacity` slots (capacity minus a
// reserve), so that clients reading streams slowly can never take every slot
// and starve short jobs such as thumbnails.
//
// A slot counts ffmpeg that works. A stream whose client stops reading parks
// its slot (its ffmpeg is blocked on back-pressure, not working), so a paused
// player does not keep the next viewer out; when the client reads again the
// stream takes its slot back at once, even over the cap (a resumed viewer
// never stalls), and new jobs wait until the count is back under the cap.
//
// A waiter whose requester has gone (process::cancelled()) leaves the queue
// within k_cancel_poll.
//
// Thread-safe. The limiter must outlive every JobSlot it hands out.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

#include "common/result.hpp"

namespace frameserve::process {

enum class JobClass { short_job, stream };

class JobLimiter;

// Holds one slot; releases it on destruction. Movable, not copyable.
class JobSlot {
 public:
  JobSlot() = default;
  JobSlot(JobSlot&& other) noexcept;
  JobSlot& operator=(JobSlot&& other) noexcept;
  JobSlot(const JobSlot&) = delete;
  JobSlot& operator=(const JobSlot&) = delete;
  ~JobSlot() { release(); }
  void release();
  bool held() const { return m_limiter != nullptr; }
  // Stops counting this slot while its job is blocked on its reader; no-op
  // when not held or already parked.
  void park();
  // Counts the slot again (even over the cap); no-op unless parked.
  void resume();

 private:
  friend class JobLimiter;
  JobSlot(JobLimiter* limiter, JobClass cls)
      : m_limiter(limiter), m_class(cls), m_started(std::chrono::steady_clock::now()) {}
  JobLimiter* m_limiter = nullptr;
  JobClass m_class = JobClass::short_job;
  bool m_parked = false;
  // When the slot was taken: its wall time goes to the job duration metric.
  std::chrono::steady_clock::time_point m_started;
};

class JobLimiter {
 public:
  // `capacity` <= 0 means unlimited (the CLI). `stream_reserve` slots are
  // kept for short jobs when capacity > 1. `max_waiters` bounds the queue.
  JobLimiter(int capacity, int stream_reserve, int max_waiters);

  // Waits up to `wait` for a slot. Errors: `unavailable` when the queue is
  // full (at once), the wait ran out, the requester went away, or the
  // process is draining (process/drain.hpp: no new job starts).
  Result<JobSlot> acquire(JobClass cls, std::chrono::milliseconds wait);

  // How often a waiter checks that its requester is still there.
  static constexpr std::chrono::milliseconds k_cancel_poll{20};

  struct Stats {
    int running = 0;
    int running_streams = 0;
    int waiting = 0;
    int parked = 0;
    int capacity = 0;
    uint64_t rejected = 0;
  };
  Stats stats() const;

 private:
  friend class JobSlot;
  void release(JobClass cls);
  void park(JobClass cls);
  void resume(JobClass cls);
  bool can_start(JobClass cls) const;

  const int m_capacity;
  const int m_stream_capacity;
  const int m_max_waiters;
  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  int m_running = 0;
  int m_running_streams = 0;
  int m_parked = 0;
  uint64_t m_next_ticket = 0;
  std::deque<uint64_t> m_short_queue;
  std::deque<uint64_t> m_stream_queue;
  uint64_t m_rejected = 0;
};

}  // namespace frameserve::process
