#include "http/resources/hls_resource.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "common/text.hpp"
#include "hls/segment_cache.hpp"
#include "http/conditional.hpp"
#include "http/file_response.hpp"
#include "http/resources/media_params.hpp"
#include "http/responses.hpp"
#include "http/stream_response.hpp"
#include "media/hls_playlist.hpp"

namespace frameserve::http {

namespace {
// The relative URI of segment `index`: the playlist's own URL, so that the
// player's request for it carries the same path, query and credentials,
// with the view's revision (`rev`, replacing one the playlist's URL had).
std::string segment_uri(const httplib::Request& req, const std::string& revision, int64_t index) {
  std::string name = req.path.substr(req.path.rfind('/') + 1);
  auto question = req.target.find('?');
  std::string query;
  if (question != std::string::npos) {
    std::string_view rest(req.target);
    rest.remove_prefix(question + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      std::string_view item = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      std::string_view item_name = item.substr(0, item.find('='));
      if (item.empty() || item_name == "rev" || item_name == "segment") continue;
      if (!query.empty()) query += '&';
      query += item;
    }
  }
  // ".ts" at the end: ffmpeg's HLS client refuses segment URLs whose
  // extension is not a media one.
  return name + "?" + query + (query.empty() ? "" : "&") + "rev=" + revision + "&segment=" + std::to_string(index) +
         ".ts";
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

// Sends a completed render another request made (not kept on disk).
void send_shared_segment(RequestContext& ctx, std::shared_ptr<const std::string> bytes) {
  ctx.res.status = 200;
  size_t size = bytes->size();
  ctx.res.set_content_provider(size, "video/mp2t",
                               [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
                                 return sink.write(bytes->data() + offset, std::min(length, bytes->size() - offset));
                               });
}
}  // namespace

std::string view_revision(const RequestContext& ctx, const overlay::HlsView& view) {
  char text[64];
  std::snprintf(text, sizeof text, "%llx", static_cast<unsigned long long>(ctx.file.registered_at_us));
  return view.overlay ? std::string(text) + "." + std::to_string(ctx.file.detections_revision) : std::string(text);
}

void set_view_cache(httplib::Response& res, const overlay::HlsView& view, bool versioned_url) {
  // Never `public`: every answer here needs credentials (see the generated
  // nginx config). Overlays show detections, which an import replaces under
  // the same URL: a cache must ask again each time, unless the URL itself
  // names the revision.
  res.set_header("Cache-Control", !view.overlay || versioned_url ? "private, max-age=86400" : "private, no-cache");
}

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
  QueryParams query(ctx.req);
  auto wanted = read_segment(query, segments.size());
  if (!wanted) return wanted.error();
  auto asked_revision = query.text("rev");
  if (!asked_revision) return asked_revision.error();
  const std::string revision = view_revision(ctx, view);

  if (!wanted.value()) {
    // The playlist names the range's frames; a segment (below) its own.
    set_view_cache(ctx.res, view, false);
    ctx.res.set_header("X-First-Frame", std::to_string(range.first));
    ctx.res.set_header("X-Last-Frame", std::to_string(range.last));
    std::string playlist = media::render_hls_playlist(
        segments, file.index->time_base(), [&](int64_t i) { return segment_uri(ctx.req, revision, i); });
    // The segment URIs carry the revision, so the ETag changes with it.
    std::string etag = derived_etag("hls-playlist", playlist);
    if (answer_not_modified(ctx.req, ctx.res, etag)) return Status();
    ctx.res.status = 200;
    ctx.res.set_header("ETag", etag);
    ctx.res.set_content(playlist, "application/vnd.apple.mpegurl");
    return Status();
  }

  // A segment URL naming the current revision may be kept long: another
  // revision comes with other URLs.
  set_view_cache(ctx.res, view, asked_revision.value() && *asked_revision.value() == revision);
  const media::HlsSegment& segment = segments[static_cast<size_t>(*wanted.value())];
  ctx.res.set_header("X-First-Frame", std::to_string(segment.frames.first));
  ctx.res.set_header("X-Last-Frame", std::to_string(segment.frames.last));
  const media::EncoderSettings& encoder = ctx.app().encoder();
  hls::SegmentKeyParts key{file.file_uuid,
                           ctx.file.registered_at_us,
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
  const std::string key_text = hls::segment_cache_key(key);
  // A cached segment's ETag names its key (registration, revision, picture)
  // besides the file's time and size.
  std::string etag_tag = derived_etag("hls-segment", key_text).substr(1, 16);
  hls::SegmentCache& cache = ctx.app().segment_cache();
  if (ctx.is_head()) {
    // What GET would send: the cached file's headers, or a stream's.
    if (auto path = cache.peek(key_text)) {
      if (Status sent = send_file(ctx, *path, "video/mp2t", etag_tag); sent) return sent;
    }
    send_stream_head(ctx, "video/mp2t");
    return Status();
  }
  // A request for a segment another request is rendering waits for it
  // (up to the job deadline) instead of rendering it a second time.
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(ctx.app().runner().timeouts().short_deadline);
  auto cached = cache.lookup(key_text, wait);
  if (cached.path) {
    if (Status sent = send_file(ctx, *cached.path, "video/mp2t", etag_tag); sent) return sent;
    // Gone between the lookup and the open: render it again.
    cache.forget(key_text);
    cached = cache.lookup(key_text, wait);
    if (cached.path) return send_file(ctx, *cached.path, "video/mp2t", etag_tag);
  }
  if (cached.shared) {
    send_shared_segment(ctx, std::move(cached.shared));
    return Status();
  }

  auto ticket = enter_stream_gate(ctx);
  if (!ticket) return ticket.error();
  auto stream = overlay::start_hls_segment(ctx.app().runner(), ctx.app().detections(), ctx.file.media, view, range,
                                           segment, audio, encoder);
  if (!stream) return stream.error();
  // A cold segment streams to its client while it is written to the cache.
  send_media_stream(ctx, cache.tee(std::move(cached.fill), std::move(stream.value())), "video/mp2t",
                    std::move(ticket.value()));
  return Status();
}

}  // namespace frameserve::http
