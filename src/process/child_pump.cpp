#include "process/child_pump.hpp"

#include "process/cancellation.hpp"
#include "process/drain.hpp"
#include "process/job_limiter.hpp"
#include "process/job_metrics.hpp"

namespace frameserve::process {

Result<size_t> read_first_chunk(OutputReader& reader, std::string& buffer, std::chrono::steady_clock::time_point by) {
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
    auto wait = std::min<std::chrono::milliseconds>(JobLimiter::k_cancel_poll,
                                                    std::chrono::duration_cast<std::chrono::milliseconds>(by - now));
    auto chunk = reader.read(buffer.data(), buffer.size(), wait);
    if (chunk.status == OutputReader::ReadStatus::data) return chunk.size;
    if (chunk.status != OutputReader::ReadStatus::timeout) return size_t{0};
  }
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
    auto chunk = reader.read(buffer.data(), buffer.size(), k_idle_check);
    if (chunk.status == OutputReader::ReadStatus::data) {
      if (!sink.write(buffer.data(), chunk.size)) {
        outcome.end = StreamOutcome::End::client_gone;
        return outcome;
      }
      outcome.bytes += chunk.size;
    } else if (chunk.status == OutputReader::ReadStatus::timeout) {
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
