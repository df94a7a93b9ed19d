#include "process/child_stream.hpp"

#include "process/cancellation.hpp"
#include "process/drain.hpp"
#include "process/job_metrics.hpp"
#include "process/parking_sink.hpp"

namespace frameserve::process {

std::string StreamOutcome::describe() const {
  switch (end) {
    case End::completed: return "completed";
    case End::client_gone: return "client went away";
    case End::deadline: return "deadline exceeded" + (detail.empty() ? "" : ": " + detail);
    case End::failed: return "failed: " + detail;
  }
  return "unknown";
}

ChildStream::ChildStream(JobSlot slot, std::unique_ptr<ChildProcess> child,
                         std::chrono::steady_clock::time_point deadline)
    : m_slot(std::move(slot)), m_child(std::move(child)), m_reader(*m_child), m_deadline(deadline) {
  m_buffer.resize(k_chunk_size);
}

Result<std::unique_ptr<ChildStream>> ChildStream::start(JobSlot slot, std::unique_ptr<ChildProcess> child,
                                                        std::chrono::steady_clock::time_point first_bytes_by,
                                                        std::chrono::steady_clock::time_point deadline) {
  std::unique_ptr<ChildStream> stream(new ChildStream(std::move(slot), std::move(child), deadline));
  auto first = read_first_chunk(stream->m_reader, stream->m_buffer, std::min(first_bytes_by, deadline));
  if (!first) return first.error();
  if (first.value() > 0) {
    stream->m_pending = first.value();
    return stream;
  }
  stream->m_reader.drain_stderr(std::chrono::milliseconds(1000));
  ExitStatus status = stream->m_child->wait_or_terminate(std::chrono::milliseconds(2000));
  std::string reason = stream->m_reader.failure_reason();
  if (reason.empty()) reason = status.success() ? "no output" : status.describe();
  count_job_end(JobClass::stream, StreamOutcome{StreamOutcome::End::failed, reason, 0,
                                                status.success() ? "no_output" : status.exited ? "exit_code" : "signal"});
  return tool_failed("ffmpeg failed: " + reason);
}

Result<size_t> read_first_chunk(OutputReader& reader, std::string& buffer,
                                std::chrono::steady_clock::time_point by) {
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (now >= by) {
      count_job_end(JobClass::stream, StreamOutcome{StreamOutcome::End::deadline, "", 0, ""});
      return tool_failed("ffmpeg produced no output in time");
    }
    // A client that leaves before the first byte frees its job at once.
    if (cancelled()) {
      count_job_end(JobClass::stream, StreamOutcome{StreamOutcome::End::client_gone, "", 0, ""});
      return unavailable("client_gone", "the client went away before ffmpeg's first bytes", 1);
    }
    auto wait = std::min<std::chrono::milliseconds>(
        JobLimiter::k_cancel_poll, std::chrono::duration_cast<std::chrono::milliseconds>(by - now));
    auto chunk = reader.read(buffer.data(), buffer.size(), wait);
    if (chunk.status == OutputReader::Status::data) return chunk.size;
    if (chunk.status != OutputReader::Status::timeout) return size_t{0};
  }
}

StreamOutcome ChildStream::pump(ByteSink& client) {
  ParkingSink sink(client, m_slot);
  uint64_t sent = 0;
  if (m_pending > 0) {
    if (!sink.write(m_buffer.data(), m_pending)) {
      return StreamOutcome{StreamOutcome::End::client_gone, "", 0, ""};
    }
    sent = m_pending;
    m_pending = 0;
  }
  return pump_child_output(*m_child, m_reader, sink, m_deadline, m_buffer, sent);
}

StreamOutcome pump_child_output(ChildProcess& child, OutputReader& reader, ByteSink& sink,
                                std::chrono::steady_clock::time_point deadline, std::string& buffer,
                                uint64_t already_sent) {
  StreamOutcome outcome;
  outcome.bytes = already_sent;
  while (true) {
    // A drain (SIGTERM) brings every job's deadline forward.
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline || now >= drain_deadline()) {
      child.terminate();
      outcome.end = StreamOutcome::End::deadline;
      outcome.detail = now >= deadline ? "stream deadline reached" : "drain deadline reached (server stopping)";
      return outcome;
    }
    auto chunk = reader.read(buffer.data(), buffer.size(), ChildStream::k_idle_check);
    if (chunk.status == OutputReader::Status::data) {
      if (!sink.write(buffer.data(), chunk.size)) {
        outcome.end = StreamOutcome::End::client_gone;
        return outcome;
      }
      outcome.bytes += chunk.size;
    } else if (chunk.status == OutputReader::Status::timeout) {
      if (!sink.is_open() || cancelled()) {
        outcome.end = StreamOutcome::End::client_gone;
        return outcome;
      }
    } else {
      break;  // eof or read error: the child is done (or broken)
    }
  }
  reader.drain_stderr(std::chrono::milliseconds(1000));
  ExitStatus status = child.wait_or_terminate(std::chrono::milliseconds(2000));
  if (!status.success()) {
    outcome.end = StreamOutcome::End::failed;
    std::string reason = reader.failure_reason();
    outcome.detail = reason.empty() ? status.describe() : reason + " (" + status.describe() + ")";
    outcome.exit_reason = status.exited ? "exit_code" : "signal";
  }
  return outcome;
}

}  // namespace frameserve::process
