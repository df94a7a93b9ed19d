#include "http/stream_response.hpp"

#include "common/log.hpp"
#include "common/metrics.hpp"
#include "http/access_log.hpp"
#include "http/connection_watch.hpp"
#include "process/job_metrics.hpp"

namespace frameserve::http {

namespace {
// Adapts httplib's DataSink to the process layer's ByteSink.
class HttpSink : public process::ByteSink {
 public:
  explicit HttpSink(httplib::DataSink& sink) : m_sink(sink) {}
  bool write(const char* data, size_t size) override {
    RequestRecord& record = current_request();
    if (record.streamed_bytes == 0 && record.started && size > 0) {
      metrics::observe(metrics::get().stream_first_byte_seconds, {{"route", record.route}},
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - record.start).count());
    }
    if (!m_sink.write(data, size)) return false;
    record.streamed_bytes += size;
    return true;
  }
  bool is_open() override { return m_sink.is_writable(); }
  bool would_block() override {
    Connection* connection = ConnectionWatch::current();
    return connection != nullptr && connection->write_would_block();
  }

 private:
  httplib::DataSink& m_sink;
};

void prepare_stream_headers(RequestContext& ctx) {
  auto& req = const_cast<httplib::Request&>(ctx.req);
  // httplib would turn any Range header into a 206 for a handler that did
  // not set its status; a generated stream ignores ranges.
  req.ranges.clear();
  // httplib closes the connection after the response when the *request*
  // says so; this frees the worker as soon as the stream ends.
  req.set_header("Connection", "close");
  ctx.res.status = 200;
  ctx.res.set_header("Accept-Ranges", "none");
  ctx.res.set_header("X-Content-Type-Options", "nosniff");
  // nginx would otherwise spool the stream to disk at ffmpeg's full speed
  // while the viewer is paused; unbuffered, the viewer's back-pressure
  // reaches ffmpeg through nginx (and parks its slot).
  ctx.res.set_header("X-Accel-Buffering", "no");
}

// HTTP/1.0 has no chunked encoding (RFC 9112 §6.1): such a peer — nginx by
// default — gets a body delimited by closing the connection, which httplib
// writes for a provider without a length. Connection: close is already set.
bool wants_close_delimited(const RequestContext& ctx) { return ctx.req.version == "HTTP/1.0"; }

void set_stream_provider(RequestContext& ctx, const std::string& content_type,
                         httplib::ContentProviderWithoutLength provider,
                         httplib::ContentProviderResourceReleaser releaser = nullptr) {
  if (wants_close_delimited(ctx)) {
    ctx.res.set_content_provider(content_type, std::move(provider), std::move(releaser));
  } else {
    ctx.res.set_chunked_content_provider(content_type, std::move(provider), std::move(releaser));
  }
}
}  // namespace

Result<std::shared_ptr<StreamGate::Ticket>> enter_stream_gate(RequestContext& ctx) {
  auto ticket = ctx.server.streams.enter();
  if (!ticket) {
    return unavailable(
        "too_many_streams",
        "the server is already serving " + std::to_string(ctx.server.streams.limit()) + " streams; retry shortly", 5);
  }
  return std::shared_ptr<StreamGate::Ticket>(std::move(ticket));
}

void send_stream_head(RequestContext& ctx, const std::string& content_type) {
  prepare_stream_headers(ctx);
  // A provider that is never called (HEAD has no body) makes httplib
  // announce the framing the GET would use.
  set_stream_provider(ctx, content_type, [](size_t, httplib::DataSink&) { return false; });
}

void send_media_stream(RequestContext& ctx, std::unique_ptr<process::MediaStream> stream,
                       const std::string& content_type, std::shared_ptr<StreamGate::Ticket> ticket) {
  prepare_stream_headers(ctx);
  struct State {
    std::unique_ptr<process::MediaStream> stream;
    std::shared_ptr<StreamGate::Ticket> ticket;
  };
  auto state = std::make_shared<State>(State{std::move(stream), std::move(ticket)});
  set_stream_provider(
      ctx, content_type,
      [state](size_t, httplib::DataSink& sink) -> bool {
        // An exception escaping a provider would terminate the process.
        try {
          HttpSink out(sink);
          process::StreamOutcome outcome = state->stream->pump(out);
          process::count_job_end(process::JobClass::stream, outcome);
          if (outcome.completed()) {
            sink.done();
            return true;
          }
          current_request().note = outcome.describe();
          if (outcome.end != process::StreamOutcome::End::client_gone) {
            log::warn("stream cut after " + std::to_string(outcome.bytes) + " bytes: " + outcome.describe());
          }
          return false;  // httplib then drops the connection
        } catch (const std::exception& e) {
          log::error(std::string("stream failed unexpectedly: ") + e.what());
          return false;
        } catch (...) {
          log::error("stream failed unexpectedly");
          return false;
        }
      },
      [state](bool) {
        // Runs when the response is destroyed, whatever happened: the stream's
        // children are terminated and reaped here and its slot freed.
        state->stream.reset();
        state->ticket.reset();
      });
}

}  // namespace frameserve::http
