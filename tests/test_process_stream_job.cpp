// StreamJob through JobRunner: one child or a source -> feeder -> output
// pipeline under one slot, one first-bytes wait, one pump, one teardown.
// The "tool" is /bin/sh, so every case is a small shell script.
#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "process/byte_sink.hpp"
#include "process/job_limiter.hpp"
#include "process/job_runner.hpp"
#include "process/stream_feeder.hpp"

using namespace frameserve;
using namespace frameserve::process;

namespace {
bool process_exists(pid_t pid) { return pid > 0 && ::kill(pid, 0) == 0; }

// Copies the source to the output in upper case, then reports `m_reason`.
class UppercaseFeeder : public StreamFeeder {
 public:
  explicit UppercaseFeeder(std::string reason = "") : m_reason(std::move(reason)) {}
  std::string feed(OutputReader& source, int output_stdin, const std::atomic<bool>& stop) override {
    char buffer[4096];
    while (!stop.load()) {
      auto chunk = source.read(buffer, sizeof buffer, std::chrono::milliseconds(100));
      if (chunk.status == OutputReader::ReadStatus::data) {
        for (size_t i = 0; i < chunk.size; ++i) buffer[i] = static_cast<char>(std::toupper(buffer[i]));
        if (!FdSink(output_stdin).write(buffer, chunk.size)) return "the output stopped reading";
      } else if (chunk.status != OutputReader::ReadStatus::timeout) {
        break;
      }
    }
    return m_reason;
  }

 private:
  std::string m_reason;
};

// Keeps what it was given and then reports the reader gone.
class OneWriteSink : public ByteSink {
 public:
  bool write(const char* data, size_t size) override {
    m_data.append(data, size);
    return false;
  }
  std::string m_data;
};

Command sh(std::string script) { return Command{Tool::ffmpeg, {"-c", std::move(script)}}; }

struct Fixture {
  JobLimiter limiter{4, 1, 8};
  JobRunner runner{ToolPaths{"/bin/sh", "/bin/sh"}, limiter, JobTimeouts{}};
};
}  // namespace

TEST_CASE("stream job: one child's output is pumped whole and its slot freed") {
  Fixture f;
  auto stream = f.runner.start_stream(sh("printf hello; sleep 0.1; printf ' world'"));
  REQUIRE(stream);
  CHECK(f.limiter.stats().running_streams == 1);
  StringSink sink(1 << 20);
  StreamOutcome outcome = stream.value()->pump(sink);
  CHECK(outcome.completed());
  CHECK(outcome.bytes == 11);
  CHECK(sink.data() == "hello world");
  stream.value().reset();
  CHECK(f.limiter.stats().running_streams == 0);
  CHECK(f.limiter.stats().running == 0);
}

TEST_CASE("stream job: a pipeline runs source, feeder and output as one job") {
  Fixture f;
  auto stream = f.runner.start_pipeline(sh("printf 'abc'; sleep 0.1; printf 'def'"), sh("exec cat"),
                                        std::make_unique<UppercaseFeeder>());
  REQUIRE(stream);
  // Two children, one slot.
  CHECK(f.limiter.stats().running == 1);
  StringSink sink(1 << 20);
  StreamOutcome outcome = stream.value()->pump(sink);
  CHECK(outcome.completed());
  CHECK(sink.data() == "ABCDEF");
  stream.value().reset();
  CHECK(f.limiter.stats().running == 0);
}

TEST_CASE("stream job: a feeder's reason fails a pipeline whose output completed") {
  Fixture f;
  auto stream = f.runner.start_pipeline(sh("printf 'abc'"), sh("exec cat"),
                                        std::make_unique<UppercaseFeeder>("frame 3 could not be drawn"));
  REQUIRE(stream);
  StringSink sink(1 << 20);
  StreamOutcome outcome = stream.value()->pump(sink);
  CHECK(outcome.end == StreamOutcome::End::failed);
  CHECK(outcome.detail == "frame 3 could not be drawn");
  CHECK(sink.data() == "ABC");
}

TEST_CASE("stream job: a start without output is tool_failed with the reason") {
  Fixture f;
  SUBCASE("ffmpeg's last stderr line") {
    auto stream = f.runner.start_stream(sh("echo 'first line' >&2; echo 'Invalid data found' >&2; exit 3"));
    REQUIRE_FALSE(stream);
    CHECK(stream.error().kind == ErrorKind::tool_failed);
    CHECK(stream.error().message == "ffmpeg failed: Invalid data found");
  }
  SUBCASE("the exit status when stderr is silent") {
    auto stream = f.runner.start_stream(sh("exit 4"));
    REQUIRE_FALSE(stream);
    CHECK(stream.error().message == "ffmpeg failed: exit code 4");
  }
  SUBCASE("the feeder's reason when the output child said nothing") {
    auto stream = f.runner.start_pipeline(sh("exit 0"), sh("exec cat"),
                                          std::make_unique<UppercaseFeeder>("the decoder delivered 0 of 5 frames"));
    REQUIRE_FALSE(stream);
    CHECK(stream.error().kind == ErrorKind::tool_failed);
    CHECK(stream.error().message == "ffmpeg failed: the decoder delivered 0 of 5 frames");
  }
  CHECK(f.limiter.stats().running == 0);
}

TEST_CASE("stream job: a client that leaves takes both children and the feeder with it") {
  Fixture f;
  // The source prints its pid and stays; the output adds its own pid to the
  // first line it is fed, then copies the rest.
  auto stream = f.runner.start_pipeline(sh("echo $$; exec sleep 30"), sh("read line; echo \"$line $$\"; exec cat"),
                                        std::make_unique<UppercaseFeeder>());
  REQUIRE(stream);
  OneWriteSink sink;
  StreamOutcome outcome = stream.value()->pump(sink);
  CHECK(outcome.end == StreamOutcome::End::client_gone);
  long source_pid = 0;
  long output_pid = 0;
  REQUIRE(std::sscanf(sink.m_data.c_str(), "%ld %ld", &source_pid, &output_pid) == 2);
  CHECK(process_exists(static_cast<pid_t>(source_pid)));
  CHECK(process_exists(static_cast<pid_t>(output_pid)));
  stream.value().reset();  // what the HTTP releaser does
  // kill(pid, 0) still succeeds for a zombie: failing means killed and reaped.
  CHECK_FALSE(process_exists(static_cast<pid_t>(source_pid)));
  CHECK_FALSE(process_exists(static_cast<pid_t>(output_pid)));
  CHECK(f.limiter.stats().running == 0);
}

TEST_CASE("stream job: a pipeline without a feeder is refused") {
  Fixture f;
  auto stream = f.runner.start_pipeline(sh("true"), sh("exec cat"), nullptr);
  REQUIRE_FALSE(stream);
  CHECK(stream.error().kind == ErrorKind::internal);
  CHECK(f.limiter.stats().running == 0);
}
