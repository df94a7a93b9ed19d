// Cancellation: lets code that waits on behalf of a requester (for a job
// slot, for ffmpeg's first bytes, for a short job) notice that the requester
// has gone, so that its slot is freed at once instead of after the wait.
//
// The HTTP layer installs a check for the thread serving a connection; the
// CLI installs none, and then nothing is ever cancelled.
#pragma once

#include <functional>

namespace frameserve::process {

// Installs `check` as the current thread's cancellation check for the
// scope's lifetime (the previous one is restored after).
class CancelScope {
 public:
  explicit CancelScope(std::function<bool()> check);
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  std::function<bool()> m_previous;
};

// True when the current thread's requester has gone; false without a check.
bool cancelled();

}  // namespace frameserve::process
