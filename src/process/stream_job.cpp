#include "process/stream_job.hpp"

#include "process/child_pump.hpp"
#include "process/job_metrics.hpp"
#include "process/parking_sink.hpp"

namespace frameserve::process {

StreamJob::StreamJob(JobSlot slot, std::unique_ptr<StreamFeeder> feeder, std::unique_ptr<ChildProcess> source,
                     std::unique_ptr<ChildProcess> output, std::chrono::steady_clock::time_point deadline)
    : m_slot(std::move(slot)),
      m_feeder(std::move(feeder)),
      m_source(std::move(source)),
      m_output(std::move(output)),
      m_reader(*m_output, 8192, /*progress_lines=*/true),
      m_deadline(deadline) {
  m_buffer.resize(k_chunk_size);
}

Result<std::unique_ptr<StreamJob>> StreamJob::start(JobSlot slot, std::vector<std::string> output_argv,
                                                    std::vector<std::string> source_argv,
                                                    std::unique_ptr<StreamFeeder> feeder,
                                                    std::chrono::steady_clock::time_point first_bytes_by,
                                                    std::chrono::steady_clock::time_point deadline) {
  const bool pipeline = !source_argv.empty();
  if (pipeline != (feeder != nullptr)) {
    return internal_error("a stream pipeline needs both a source command and a feeder");
  }
  // The source starts first so that its output is on its way while the
  // output child starts; should the output fail to spawn, the source's
  // ChildProcess destructor terminates and reaps it.
  std::unique_ptr<ChildProcess> source;
  if (pipeline) {
    auto spawned = ChildProcess::spawn(SpawnOptions{std::move(source_argv), false});
    if (!spawned) return spawned.error();
    source = std::move(spawned.value());
  }
  auto output = ChildProcess::spawn(SpawnOptions{std::move(output_argv), pipeline});
  if (!output) return output.error();
  std::unique_ptr<StreamJob> job(
      new StreamJob(std::move(slot), std::move(feeder), std::move(source), std::move(output.value()), deadline));
  if (pipeline) job->m_feeder_thread = std::thread([raw = job.get()] { raw->run_feeder(); });

  // From here on an early return destroys `job`, which stops everything.
  auto first = read_first_chunk(job->m_reader, job->m_buffer, std::min(first_bytes_by, deadline));
  if (!first) return first.error();
  if (first.value() > 0) {
    job->m_pending = first.value();
    return job;
  }
  // The output child ended without a byte: find out why before stopping
  // the rest (the feeder's reason matters when ffmpeg itself said nothing).
  job->m_reader.drain_stderr(std::chrono::milliseconds(1000));
  ExitStatus status = job->m_output->wait_or_terminate(std::chrono::milliseconds(2000));
  job->stop_all();
  std::string reason = job->m_reader.failure_reason();
  if (reason.empty()) reason = job->m_feed_error;
  if (reason.empty()) reason = status.success() ? "no output" : status.describe();
  count_job_end(JobClass::stream, StreamOutcome{StreamOutcome::End::failed, reason, 0,
                                                status.success() ? "no_output"
                                                : status.exited  ? "exit_code"
                                                                 : "signal"});
  return tool_failed("ffmpeg failed: " + reason);
}

void StreamJob::run_feeder() {
  OutputReader source_output(*m_source);
  m_feed_error = m_feeder->feed(source_output, m_output->stdin_fd(), m_stop);
  // End of input: the output child finishes and exits.
  m_output->close_stdin();
}

void StreamJob::stop_all() {
  m_stop.store(true);
  // The output's stdout is ours alone (the feeder never reads it): closing
  // it first ends an ffmpeg blocked on a full pipe at once. The source's
  // stdout and the output's stdin belong to the running feeder, so those
  // children are terminated instead of having their pipes closed under it:
  // the feeder's reads then see EOF and its writes EPIPE while its
  // descriptors stay valid until the join.
  m_output->close_stdout();
  m_output->terminate();
  if (m_source) m_source->terminate();
  if (m_feeder_thread.joinable()) m_feeder_thread.join();
}

StreamJob::~StreamJob() { stop_all(); }

StreamOutcome StreamJob::pump(ByteSink& client, const FrameProgress& on_frames) {
  m_reader.set_frame_listener(on_frames);
  ParkingSink sink(client, m_slot);
  uint64_t sent = 0;
  if (m_pending > 0) {
    if (!sink.write(m_buffer.data(), m_pending)) {
      return StreamOutcome{StreamOutcome::End::client_gone, "", 0, ""};
    }
    sent = m_pending;
    m_pending = 0;
  }
  StreamOutcome outcome = pump_child_output(*m_output, m_reader, sink, m_deadline, m_buffer, sent);
  if (!outcome.completed() || !m_feeder_thread.joinable()) return outcome;
  // The output child finished, so its input was closed: the feeder is done.
  m_feeder_thread.join();
  if (!m_feed_error.empty()) {
    outcome.end = StreamOutcome::End::failed;
    outcome.detail = m_feed_error;
  }
  return outcome;
}

}  // namespace frameserve::process
