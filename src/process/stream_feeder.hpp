// StreamFeeder: the in-process middle of a two-child stream job
// (source ffmpeg --stdout--> feeder --stdin--> output ffmpeg), e.g. the
// overlay pipeline's painter. The job (StreamJob, started by
// JobRunner::start_pipeline) owns the children, the thread feed() runs on
// and the feeder object; a feeder only transforms bytes and spawns nothing.
//
// Ownership and order of death: the job sets `stop`, closes and terminates
// the output child, terminates the source child, joins the feeder thread,
// and only then destroys the feeder, the children and the job slot. So the
// descriptors a feeder uses stay valid for as long as feed() runs, and
// after `stop` its blocking calls end promptly: reads of the source see EOF
// (it was killed), writes to the output see EPIPE (SIGPIPE is ignored
// process-wide by the server and the CLI, so a write returns an error
// instead of killing us).
//
// Thread-safety: feed() runs on its own thread, once; the feeder must not
// share mutable state with the requesting thread other than through what
// it returns.
#pragma once

#include <atomic>
#include <string>

#include "process/output_reader.hpp"

namespace frameserve::process {

class StreamFeeder {
 public:
  virtual ~StreamFeeder() = default;

  // Reads the source child's stdout through `source` (stderr is drained by
  // the same reader) and writes the output child's stdin, the blocking pipe
  // `output_stdin`. Returns "" when it fed everything it meant to, otherwise
  // a one-line reason (the stream then ends `failed` with it). Must return
  // soon after `stop` becomes true; must not close `output_stdin` (the job
  // closes it when feed() returns, which tells the output child "end of
  // input").
  virtual std::string feed(OutputReader& source, int output_stdin, const std::atomic<bool>& stop) = 0;
};

}  // namespace frameserve::process
