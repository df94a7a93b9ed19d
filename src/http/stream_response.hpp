// Streaming a MediaStream (ffmpeg output) as an HTTP response body.
//
// The body is chunked (close-delimited for an HTTP/1.0 request) and flows as
// the children produce it, with X-Accel-Buffering: no so that nginx passes it
// through instead of spooling it. The response
// owns the stream: when the client goes away, the write fails (or the idle
// liveness check notices), the provider returns, and the response's
// releaser destroys the stream — terminating and reaping its children and
// freeing its job slot within a second. Long streams also send
// "Connection: close" so their worker is freed as soon as they end.
#pragma once

#include <memory>
#include <string>

#include "common/result.hpp"
#include "http/request_context.hpp"
#include "process/media_stream.hpp"

namespace frameserve::http {

// Takes a place in the server's stream gate; `unavailable` (503) when full.
Result<std::shared_ptr<StreamGate::Ticket>> enter_stream_gate(RequestContext& ctx);

// Answers a HEAD request for a streaming endpoint without starting ffmpeg.
void send_stream_head(RequestContext& ctx, const std::string& content_type);

// Sends `stream` as a 200 chunked body of `content_type`. Any Range header is
// ignored (Accept-Ranges: none): a generated stream has no stable offsets.
void send_media_stream(RequestContext& ctx, std::unique_ptr<process::MediaStream> stream,
                       const std::string& content_type, std::shared_ptr<StreamGate::Ticket> ticket);

}  // namespace frameserve::http
