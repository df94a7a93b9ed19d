#include "render/render_service.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "hls/segment_uri.hpp"
#include "media/ffmpeg_argv.hpp"
#include "media/frame_seeker.hpp"
#include "overlay/clip_debug_painter.hpp"
#include "overlay/detection_painter.hpp"
#include "overlay/overlay_stream.hpp"

namespace frameserve::render {

namespace {

using Kind = View::Kind;

// Which formats a view has. Errors: `invalid_argument` ("bad_format").
Status check_format(const View& view, Format format) {
  if (view.scenes && format != Format::hls) {
    return invalid_argument("bad_format", "a scene video is served as format=hls (format=mp4 is not available yet)");
  }
  bool ok = false;
  switch (view.kind) {
    case Kind::plain: ok = format == Format::copy || format == Format::ts || format == Format::hls; break;
    case Kind::clip_debug: ok = format == Format::ts; break;
    case Kind::bbox:
    case Kind::trace: ok = format == Format::mp4 || format == Format::ts || format == Format::hls; break;
  }
  if (!ok) return invalid_argument("bad_format", "this view is not available in the format asked for");
  return Status();
}

// The frames a view shows: the range when one is given, else the view's
// whole span (the file, or the trace's first to last detection), widened
// by pad_frames within the film. A plain or debug clip needs a range.
// Errors: as media::resolve_range, `not_found` for an unknown or empty trace.
Result<media::FrameRange> resolve_frames(db::DetectionStore& detections, const media::MediaFile& file,
                                         const RenderRequest& request) {
  if (request.pad_frames < 0) return invalid_argument("invalid_parameter", "pad_frames must be >= 0");
  media::FrameRange range{0, file.info.frame_count - 1};
  if (request.view.kind == Kind::trace) {
    const int64_t id = request.view.trace_id.value_or(-1);
    auto trace = detections.trace_summary(file.file_uuid, id);
    if (!trace) return trace.error();
    if (trace->detection_count == 0) {
      return not_found("trace_empty", "trace " + std::to_string(id) + " has no detections");
    }
    range = media::FrameRange{trace->first_frame, trace->last_frame};
  }
  const bool clip = request.format == Format::ts && !request.view.shows_detections();
  if (request.range.any() || clip) {
    auto resolved = media::resolve_range(request.range, file);
    if (!resolved) return resolved.error();
    range = resolved.value();
  }
  range.first = std::max<int64_t>(0, range.first - request.pad_frames);
  range.last = std::min<int64_t>(file.info.frame_count - 1, range.last + request.pad_frames);
  return range;
}

std::string revision_of(const db::ResolvedFile& file, const View& view) {
  char text[64];
  std::snprintf(text, sizeof text, "%llx", static_cast<unsigned long long>(file.registered_at_us));
  return view.shows_detections() ? std::string(text) + "." + std::to_string(file.detections_revision)
                                 : std::string(text);
}

// The view's part of a segment cache key and of a download name.
std::string view_key(const View& view) {
  if (view.scenes) {
    // The scene list's own parameters; pad and gap as resolved (see plan()).
    std::string key = "scenes" + view.scenes->identity_uuid;
    if (view.scenes->with_identity_uuid) key += "with" + *view.scenes->with_identity_uuid;
    key += "p" + std::to_string(view.scenes->pad_frames.value_or(-1)) + "g" +
           std::to_string(view.scenes->gap_frames.value_or(-1));
    return key + (view.kind == Kind::bbox ? "bbox" : "video");
  }
  switch (view.kind) {
    case Kind::plain: return "video";
    case Kind::clip_debug: return "debug";
    case Kind::bbox: return "bbox";
    case Kind::trace: return "trace" + std::to_string(view.trace_id.value_or(-1));
  }
  return "video";
}

}  // namespace

std::string frame_range_suffix(int64_t first, int64_t last) {
  return "_f" + std::to_string(first) + "-" + std::to_string(last);
}

Result<RenderPlan> RenderService::plan(const db::ResolvedFile& file, RenderRequest request) const {
  const media::MediaFile& media = *file.media;
  if (Status ok = check_format(request.view, request.format); !ok) return ok.error();
  RenderPlan plan;
  plan.file = file;
  plan.revision = revision_of(file, request.view);
  const bool detections = request.view.shows_detections();

  const bool keeps_audio = request.audio || !media.info.has_audio;
  if (request.format == Format::copy && !request.range.any() && keeps_audio && request.whole_file_as_is) {
    // The file itself keeps its own name and extension.
    plan.body = RenderPlan::Body::file;
    plan.pieces = {media::FrameRange{0, media.info.frame_count - 1}};
    plan.frames = plan.pieces[0];
    plan.cache = CachePolicy::file_default;
    plan.request = std::move(request);
    return plan;
  }

  if (request.view.scenes) {
    auto list = m_scenes.scenes(file, *request.view.scenes);
    if (!list) return list.error();
    // The key and the URL name the pad and gap the scenes were made with.
    request.view.scenes->pad_frames = list->pad_frames;
    request.view.scenes->gap_frames = list->gap_frames;
    for (const faces::Scene& scene : list->scenes) {
      plan.pieces.push_back(media::FrameRange{scene.start_frame, scene.end_frame});
      plan.highlight_traces.insert(plan.highlight_traces.end(), scene.trace_ids.begin(), scene.trace_ids.end());
    }
    std::sort(plan.highlight_traces.begin(), plan.highlight_traces.end());
    plan.highlight_traces.erase(std::unique(plan.highlight_traces.begin(), plan.highlight_traces.end()),
                                plan.highlight_traces.end());
    plan.frames = plan.pieces.empty() ? media::FrameRange{0, -1}
                                      : media::FrameRange{plan.pieces.front().first, plan.pieces.back().last};
  } else {
    auto frames = resolve_frames(m_detections, media, request);
    if (!frames) return frames.error();
    plan.pieces = {frames.value()};
    plan.frames = frames.value();
  }

  switch (request.format) {
    case Format::copy:
      // Stream copy starts at a keyframe; the body holds the frames from there.
      plan.frames.first = media::plan_seek(media, plan.pieces[0].first).keyframe;
      plan.name_suffix = frame_range_suffix(plan.frames.first, plan.frames.last);
      plan.extension = "mp4";
      plan.content_type = "video/mp4";
      plan.cache = CachePolicy::public_day;
      break;
    case Format::mp4:
    case Format::ts:
      if (detections) {
        plan.name_suffix = (request.view.kind == Kind::trace ? "_" + view_key(request.view) : std::string("_bbox")) +
                           frame_range_suffix(plan.frames.first, plan.frames.last);
        plan.cache = CachePolicy::private_revalidate;
      } else {
        plan.name_suffix = frame_range_suffix(plan.frames.first, plan.frames.last) +
                           (request.view.kind == Kind::clip_debug ? "_debug" : "");
        // The spec's /clip: cacheable by a CDN, mode=debug included.
        plan.cache = CachePolicy::public_day;
      }
      plan.extension = request.format == Format::ts ? "ts" : "mp4";
      plan.content_type = request.format == Format::ts ? "video/mp2t" : "video/mp4";
      break;
    case Format::hls: {
      plan.named = false;
      plan.segments = hls::plan_hls_segments(*media.index, plan.pieces, request.segment_seconds);
      if (!request.segment) {
        // The playlist names the pieces' frames; a segment its own.
        plan.body = RenderPlan::Body::playlist;
        plan.content_type = "application/vnd.apple.mpegurl";
        plan.cache = detections ? CachePolicy::private_revalidate : CachePolicy::private_day;
        break;
      }
      auto index = hls::parse_segment_number(*request.segment, plan.segments.size());
      if (!index) return index.error();
      plan.body = RenderPlan::Body::segment;
      plan.segment = static_cast<size_t>(index.value());
      const hls::HlsSegment& segment = plan.segments[*plan.segment];
      plan.frames = segment.frames;
      plan.content_type = "video/mp2t";
      // A segment URL naming the current revision may be kept long: another
      // revision comes with other URLs.
      plan.cache = !detections || (request.asked_revision && *request.asked_revision == plan.revision)
                       ? CachePolicy::private_day
                       : CachePolicy::private_revalidate;
      const media::FrameRange& piece = plan.pieces[segment.piece];
      hls::SegmentKeyParts key{media.file_uuid,
                               file.registered_at_us,
                               media.info.mtime_ns,
                               media.info.size_bytes,
                               file.detections_revision,
                               view_key(request.view),
                               piece.first,
                               piece.last,
                               segment.frames.first,
                               segment.frames.last,
                               request.audio && media.info.has_audio,
                               m_encoder.x264_preset,
                               m_encoder.crf,
                               m_encoder.audio_bitrate_kbps};
      plan.segment_key = hls::segment_cache_key(key);
      break;
    }
  }
  plan.request = std::move(request);
  return plan;
}

std::string RenderService::playlist(const RenderPlan& plan,
                                    const std::function<std::string(int64_t)>& segment_uri) const {
  return hls::render_hls_playlist(plan.segments, plan.file.media->index->time_base(), segment_uri);
}

std::optional<std::string> RenderService::cached_segment(const RenderPlan& plan) const {
  if (plan.body != RenderPlan::Body::segment) return std::nullopt;
  return m_segments.peek(plan.segment_key);
}

void RenderService::forget_segment(const RenderPlan& plan) const {
  if (plan.body == RenderPlan::Body::segment) m_segments.forget(plan.segment_key);
}

Result<RenderBody> RenderService::open(const RenderPlan& plan, const std::function<Status()>& admit) const {
  switch (plan.body) {
    case RenderPlan::Body::file: {
      RenderBody body;
      body.file = plan.file.media->path;
      return body;
    }
    case RenderPlan::Body::playlist: return internal_error("a playlist has no media body");
    case RenderPlan::Body::stream: {
      if (admit) {
        if (Status admitted = admit(); !admitted) return admitted.error();
      }
      auto stream = start_picture(plan, plan.pieces[0], std::nullopt);
      if (!stream) return stream.error();
      return RenderBody{std::nullopt, nullptr, std::move(stream.value())};
    }
    case RenderPlan::Body::segment: break;
  }
  // A request for a segment another request is rendering waits for it (up
  // to the job deadline) instead of rendering it a second time.
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(m_runner.timeouts().short_deadline);
  hls::SegmentCache::Lookup cached;
  if (plan.request.cached) cached = m_segments.lookup(plan.segment_key, wait);
  if (cached.path) return RenderBody{std::move(cached.path), nullptr, nullptr};
  if (cached.shared) return RenderBody{std::nullopt, std::move(cached.shared), nullptr};
  if (admit) {
    if (Status admitted = admit(); !admitted) return admitted.error();
  }
  const hls::HlsSegment& segment = plan.segments[*plan.segment];
  media::HlsSegmentTiming timing = hls::plan_hls_timing(*plan.file.media->index, plan.pieces[segment.piece], segment);
  auto stream = start_picture(plan, segment.frames, timing);
  if (!stream) return stream.error();
  // A cold segment streams to its client while it is written to the cache.
  return RenderBody{std::nullopt, nullptr, m_segments.tee(std::move(cached.fill), std::move(stream.value()))};
}

Result<std::unique_ptr<process::MediaStream>> RenderService::start_picture(
    const RenderPlan& plan, const media::FrameRange& frames,
    const std::optional<media::HlsSegmentTiming>& timing) const {
  const RenderRequest& request = plan.request;
  const std::shared_ptr<const media::MediaFile>& file = plan.file.media;
  switch (request.view.kind) {
    case Kind::plain:
      if (request.format == Format::copy) {
        return m_runner.start_stream(media::build_copy_range_command(*file, frames, request.audio));
      }
      // The exact-range re-encode of /clip (an HLS segment: placed by its timing).
      return m_runner.start_stream(media::build_clip_command(*file, frames, request.audio, m_encoder, timing));
    case Kind::clip_debug: {
      overlay::OverlayRequest overlay{file, frames, request.audio, media::StreamFormat::mpegts, m_encoder, timing};
      auto stream = overlay::start_overlay_stream(m_runner, std::move(overlay),
                                                  std::make_unique<overlay::ClipDebugPainter>(file->info.height));
      if (!stream) return stream.error();
      return std::unique_ptr<process::MediaStream>(std::move(stream.value()));
    }
    case Kind::bbox:
    case Kind::trace: {
      auto labels = m_detections.trace_labels(file->file_uuid);
      if (!labels) return labels.error();
      std::vector<int64_t> highlight = plan.highlight_traces;
      if (request.view.kind == Kind::trace && request.view.trace_id) highlight = {*request.view.trace_id};
      auto painter = std::make_unique<overlay::DetectionPainter>(
          overlay::DetectionFeed(m_detections, file->file_uuid, frames.last), std::move(labels.value()),
          std::move(highlight), file->info.height);
      media::StreamFormat format =
          request.format == Format::mp4 ? media::StreamFormat::fragmented_mp4 : media::StreamFormat::mpegts;
      overlay::OverlayRequest overlay{file, frames, request.audio, format, m_encoder, timing};
      auto stream = overlay::start_overlay_stream(m_runner, std::move(overlay), std::move(painter));
      if (!stream) return stream.error();
      return std::unique_ptr<process::MediaStream>(std::move(stream.value()));
    }
  }
  return internal_error("unknown view");
}

}  // namespace frameserve::render
