#include "http/resources/hls_resource.hpp"

#include "common/text.hpp"
#include "hls/segment_cache.hpp"
#include "http/file_response.hpp"
#include "http/responses.hpp"
#include "http/stream_response.hpp"
#include "media/hls_playlist.hpp"

namespace frameserve::http {

namespace {
// The relative URI of segment `index`: the playlist's own URL, so that the
// player's request for it carries the same path, query and credentials.
std::string segment_uri(const httplib::Request& req, int64_t index) {
  std::string name = req.path.substr(req.path.rfind('/') + 1);
  auto question = req.target.find('?');
  std::string query = question == std::string::npos ? std::string() : req.target.substr(question + 1);
  // ".ts" at the end: ffmpeg's HLS client refuses segment URLs whose
  // extension is not a media one.
  return name + "?" + query + (query.empty() ? "" : "&") + "segment=" + std::to_string(index) + ".ts";
}

// segment=N or N.ts, within the playlist; nullopt when absent.
Result<std::optional<int64_t>> read_segment(const QueryParams& query, size_t count) {
  auto text = query.text("segment");
  if (!text) return text.error();
  if (!text.value()) return std::optional<int64_t>();
  std::string number = *text.value();
  if (number.size() > 3 && number.compare(number.size() - 3, 3, ".ts") == 0) number.resize(number.size() - 3);
  auto index = parse_int64(number);
  if (!index || *index < 0 || *index >= static_cast<int64_t>(count)) {
    return invalid_argument("bad_segment", "segment must be a segment number of this playlist, 0 to " +
                                               std::to_string(static_cast<int64_t>(count) - 1) + " (N or N.ts; got " +
                                               quote_for_message(*text.value()) + ")");
  }
  return std::optional<int64_t>(*index);
}
}  // namespace

Result<bool> read_hls_format(const QueryParams& query) {
  auto format = query.choice("format", {"mp4", "hls"}, "mp4");
  if (!format) return format.error();
  bool hls = format.value() == "hls";
  if (!hls && query.has("segment")) {
    return invalid_argument("segment_without_hls", "segment is a parameter of format=hls only");
  }
  return hls;
}

Status serve_hls(RequestContext& ctx, const overlay::HlsView& view, const media::FrameRange& range, bool audio) {
  const media::MediaFile& file = ctx.media();
  auto segments = media::plan_hls_segments(*file.index, range, ctx.server.config.hls_segment_seconds);
  auto wanted = read_segment(QueryParams(ctx.req), segments.size());
  if (!wanted) return wanted.error();
  set_public_day_cache(ctx.res);

  if (!wanted.value()) {
    // The playlist names the range's frames; a segment (below) its own.
    ctx.res.set_header("X-First-Frame", std::to_string(range.first));
    ctx.res.set_header("X-Last-Frame", std::to_string(range.last));
    std::string playlist = media::render_hls_playlist(
        segments, file.index->time_base(), [&](int64_t i) { return segment_uri(ctx.req, i); });
    ctx.res.status = 200;
    ctx.res.set_content(playlist, "application/vnd.apple.mpegurl");
    return Status();
  }

  const media::HlsSegment& segment = segments[static_cast<size_t>(*wanted.value())];
  ctx.res.set_header("X-First-Frame", std::to_string(segment.frames.first));
  ctx.res.set_header("X-Last-Frame", std::to_string(segment.frames.last));
  if (ctx.is_head()) {
    send_stream_head(ctx, "video/mp2t");
    return Status();
  }
  const media::EncoderSettings& encoder = ctx.app().encoder();
  hls::SegmentKeyParts key{file.file_uuid,
                           file.info.mtime_ns,
                           file.info.size_bytes,
                           ctx.file.detections_revision,
                           !view.overlay ? "video" : view.trace_id ? "trace" + std::to_string(*view.trace_id) : "bbox",
                           range.first,
                           range.last,
                           segment.frames.first,
                           segment.frames.last,
                           audio && file.info.has_audio,
                           encoder.x264_preset,
                           encoder.crf,
                           encoder.audio_bitrate_kbps};
  // A request for a segment another request is rendering waits for it
  // (up to the job deadline) instead of rendering it a second time.
  auto cached = ctx.app().segment_cache().lookup(
      hls::segment_cache_key(key),
      std::chrono::duration_cast<std::chrono::milliseconds>(ctx.app().runner().timeouts().short_deadline));
  if (cached.path) return send_file(ctx, *cached.path, "video/mp2t");

  auto ticket = enter_stream_gate(ctx);
  if (!ticket) return ticket.error();
  auto stream = overlay::start_hls_segment(ctx.app().runner(), ctx.app().detections(), ctx.file.media, view, range,
                                           segment, audio, encoder);
  if (!stream) return stream.error();
  // A cold segment streams to its client while it is written to the cache.
  send_media_stream(ctx, ctx.app().segment_cache().tee(std::move(cached.fill), std::move(stream.value())),
                    "video/mp2t", std::move(ticket.value()));
  return Status();
}

}  // namespace frameserve::http
