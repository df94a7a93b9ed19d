// ParkingSink: a ByteSink decorator that parks a stream's job slot while a
// write waits for a reader that is not reading (a paused player), and takes
// it back when the write went through. See JobLimiter for why.
#pragma once

#include "process/byte_sink.hpp"
#include "process/job_limiter.hpp"

namespace frameserve::process {

class ParkingSink : public ByteSink {
 public:
  ParkingSink(ByteSink& inner, JobSlot& slot) : m_inner(inner), m_slot(slot) {}

  // Same contract as the inner sink's write (false: the reader went away).
  bool write(const char* data, size_t size) override {
    if (!m_inner.would_block()) return m_inner.write(data, size);
    m_slot.park();
    bool written = m_inner.write(data, size);
    m_slot.resume();
    return written;
  }
  bool is_open() override { return m_inner.is_open(); }
  bool would_block() override { return m_inner.would_block(); }

 private:
  ByteSink& m_inner;
  JobSlot& m_slot;
};

}  // namespace frameserve::process
