// StreamGate: counts responses that hold a worker thread for a long time
// (video streams) and refuses new ones beyond a limit, so that some workers
// always remain for short requests such as /healthz and thumbnails.
// Thread-safe; must outlive its tickets.
#pragma once

#include <atomic>
#include <memory>

namespace frameserve::http {

class StreamGate {
 public:
  explicit StreamGate(int limit) : m_limit(limit) {}

  // A held place; releases it on destruction.
  class Ticket {
   public:
    explicit Ticket(StreamGate& gate) : m_gate(gate) {}
    ~Ticket() { m_gate.m_active.fetch_sub(1); }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;

   private:
    StreamGate& m_gate;
  };

  // nullptr when the limit is reached.
  std::unique_ptr<Ticket> enter() {
    int now = m_active.fetch_add(1) + 1;
    if (now > m_limit) {
      m_active.fetch_sub(1);
      return nullptr;
    }
    return std::make_unique<Ticket>(*this);
  }
  int active() const { return m_active.load(); }
  int limit() const { return m_limit; }

 private:
  const int m_limit;
  std::atomic<int> m_active{0};
};

}  // namespace frameserve::http
