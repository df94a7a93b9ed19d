#include "process/job_runner.hpp"

#include "process/cancellation.hpp"
#include "process/child_process.hpp"
#include "process/child_pump.hpp"
#include "process/job_metrics.hpp"
#include "process/output_reader.hpp"
#include "process/stream_feeder.hpp"
#include "process/stream_job.hpp"

namespace frameserve::process {

std::vector<std::string> JobRunner::argv_for(const Command& command) const {
  std::vector<std::string> argv;
  argv.reserve(command.args.size() + 1);
  argv.push_back(command.tool == Tool::ffmpeg ? m_tools.ffmpeg : m_tools.ffprobe);
  argv.insert(argv.end(), command.args.begin(), command.args.end());
  return argv;
}

Result<JobSlot> JobRunner::acquire(JobClass cls) const { return m_limiter.acquire(cls, m_timeouts.queue_wait); }

Result<std::string> JobRunner::run_capture(const Command& command, size_t max_output,
                                           std::chrono::milliseconds deadline) const {
  auto slot = acquire(JobClass::short_job);
  if (!slot) return slot.error();
  return run_capture_in_slot(command, max_output, deadline);
}

Result<std::string> JobRunner::run_capture_in_slot(const Command& command, size_t max_output,
                                                   std::chrono::milliseconds deadline_after) const {
  if (deadline_after.count() <= 0) deadline_after = m_timeouts.short_deadline;
  auto child = ChildProcess::spawn(SpawnOptions{argv_for(command), false});
  if (!child) return child.error();
  OutputReader reader(*child.value());
  StringSink sink(max_output);
  std::string buffer(64 * 1024, '\0');
  auto deadline = std::chrono::steady_clock::now() + deadline_after;
  StreamOutcome outcome = pump_child_output(*child.value(), reader, sink, deadline, buffer, 0);
  // A full StringSink also ends the pump as "client gone": without a
  // departed requester it is the output limit, a failure.
  StreamOutcome counted = outcome;
  if (counted.end == StreamOutcome::End::client_gone && !cancelled()) {
    counted.end = StreamOutcome::End::failed;
    counted.exit_reason = "output_limit";
  }
  count_job_end(JobClass::short_job, counted);
  const char* tool = command.tool == Tool::ffmpeg ? "ffmpeg" : "ffprobe";
  switch (outcome.end) {
    case StreamOutcome::End::completed: return std::move(sink.data());
    case StreamOutcome::End::client_gone:
      if (cancelled()) return unavailable("client_gone", "the client went away during the job", 1);
      return tool_failed(std::string(tool) + " produced more than " + std::to_string(max_output) + " bytes");
    case StreamOutcome::End::deadline:
      return tool_failed(std::string(tool) + " did not finish within " + std::to_string(deadline_after.count() / 1000) +
                         " s");
    case StreamOutcome::End::failed: return tool_failed(std::string(tool) + " failed: " + outcome.detail);
  }
  return internal_error("unreachable");
}

Result<std::unique_ptr<MediaStream>> JobRunner::start_stream(const Command& command) const {
  return start_job(command, nullptr, nullptr);
}

Result<std::unique_ptr<MediaStream>> JobRunner::start_pipeline(const Command& source, const Command& output,
                                                               std::unique_ptr<StreamFeeder> feeder) const {
  return start_job(output, &source, std::move(feeder));
}

Result<std::unique_ptr<MediaStream>> JobRunner::start_job(const Command& output, const Command* source,
                                                          std::unique_ptr<StreamFeeder> feeder) const {
  auto slot = acquire(JobClass::stream);
  if (!slot) return slot.error();
  auto now = std::chrono::steady_clock::now();
  auto job = StreamJob::start(std::move(slot.value()), argv_for(output),
                              source ? argv_for(*source) : std::vector<std::string>{}, std::move(feeder),
                              now + m_timeouts.short_deadline, now + m_timeouts.stream_deadline);
  if (!job) return job.error();
  return std::unique_ptr<MediaStream>(std::move(job.value()));
}

}  // namespace frameserve::process
