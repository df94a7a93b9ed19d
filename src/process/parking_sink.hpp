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
  // Writes in pieces: a socket reports "would block" once its send buffer
  // is about two thirds full, so checking before each small piece catches
  // the stall before the piece that waits for the reader.
  bool write(const char* data, size_t size) override {
    while (size > 0) {
      size_t piece = size < k_piece ? size : k_piece;
      bool blocked = m_inner.would_block();
      if (blocked) m_slot.park();
      bool written = m_inner.write(data, piece);
      if (blocked) m_slot.resume();
      if (!written) return false;
      data += piece;
      size -= piece;
    }
    return true;
  }

  static constexpr size_t k_piece = 16 * 1024;
  bool is_open() override { return m_inner.is_open(); }
  bool would_block() override { return m_inner.would_block(); }

 private:
  ByteSink& m_inner;
  JobSlot& m_slot;
};

}  // namespace frameserve::process
