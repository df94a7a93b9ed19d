// RenderRequest and RenderPlan: what a caller asks the render service for,
// and what the service resolved it to before starting anything.
//
// A request names a file's view (the plain picture, the clip's debug
// numbering, every detection boxed, or one trace followed), which frames
// (a range, or the view's whole span), the format (a stream copy, a
// re-encoded fragmented MP4 or MPEG-TS, or HLS: the playlist or one
// segment) and whether the audio is kept. Every stream endpoint and its CLI
// twin fill one request from their own syntax (the HTTP query is read once,
// in http/resources/render_query) and hand it to render::RenderService.
//
// Plain values; thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/media_catalog.hpp"
#include "faces/scene_service.hpp"
#include "hls/hls_plan.hpp"
#include "media/requests.hpp"

namespace frameserve::render {

// Which picture is shown.
struct View {
  enum class Kind {
    plain,       // the film as it is
    clip_debug,  // "CLIP" and the source frame number on every frame (/clip?mode=debug)
    bbox,        // every detection boxed and labelled (/video/bbox, /video?mode=debug)
    trace,       // one trace followed, the others dimmed (/trace/:id/video)
  };
  Kind kind = Kind::plain;
  std::optional<int64_t> trace_id;  // Kind::trace
  // A scene video (/identities/:id/video, .../co-occur-with/:b/video): the
  // scenes of SceneService played one after another, plain or (Kind::bbox)
  // with the people's traces highlighted.
  std::optional<faces::SceneQuery> scenes;
  // Depends on detections: an import changes its pictures (or, for a scene
  // video, its frames) under the same URL.
  bool shows_detections() const { return kind == Kind::bbox || kind == Kind::trace || scenes.has_value(); }
};

enum class Format {
  copy,  // stream copy as fragmented MP4 (the file itself when whole and unchanged)
  mp4,   // re-encoded fragmented MP4 (overlay views)
  ts,    // re-encoded MPEG-TS (/clip, and the CLI's bbox-video --format ts)
  hls,   // an HLS VOD playlist, or one of its segments (`segment`)
};

struct RenderRequest {
  View view;
  // No range: the view's whole span (the file, or the trace's first to last
  // detection); a plain or debug MPEG-TS clip needs one.
  media::RangeSpec range;
  // Frames added before and after the span, within the film (overlay views).
  int64_t pad_frames = 0;
  Format format = Format::copy;
  bool audio = true;
  // Format::hls: the segment asked for ("N" or "N.ts"); none: the playlist.
  std::optional<std::string> segment;
  // Format::hls: the revision a segment URL named (its `rev`).
  std::optional<std::string> asked_revision;
  double segment_seconds = hls::k_hls_max_segment_seconds;
  // A whole, unchanged copy is answered with the file itself (HTTP); the
  // CLI's `video` writes a stream copy instead.
  bool whole_file_as_is = true;
  // Format::hls: segments are looked up in and kept in the segment cache
  // (the server); the CLI's `hls` renders each one itself.
  bool cached = true;
};

// How long a response may be kept, from what it depends on.
enum class CachePolicy {
  file_default,        // the file itself: its own validators (http::send_file)
  public_day,          // the spec's /clip and ranged /video: `public, max-age=86400`
  private_day,         // depends on the media file only, or names its revision: `private, max-age=86400`
  private_revalidate,  // shows detections under an unversioned URL: `private, no-cache`
};

// What a request resolved to.
struct RenderPlan {
  enum class Body { file, stream, playlist, segment };
  RenderRequest request;
  db::ResolvedFile file;
  Body body = Body::stream;
  // The film's frames played, in order (one piece but for scene videos).
  std::vector<media::FrameRange> pieces;
  // What the body holds, for X-First-Frame / X-Last-Frame (a stream copy
  // starts at the keyframe at or before the range).
  media::FrameRange frames;
  // Content-Disposition: the file's name + suffix + "." + extension (the
  // file's own extension for Body::file, left empty here); no name for HLS
  // (named == false).
  bool named = true;
  std::string name_suffix;
  std::string extension;
  std::string content_type;  // empty for Body::file (from the file's extension)
  CachePolicy cache = CachePolicy::public_day;
  // What the view's answers depend on, as a URL token: the registration,
  // and for views showing detections their revision too.
  std::string revision;
  // Scene videos: the traces drawn highlighted (mode=debug).
  std::vector<int64_t> highlight_traces;
  // HLS: the playlist's segments, the one asked for and its cache key.
  std::vector<hls::HlsSegment> segments;
  std::optional<size_t> segment;
  std::string segment_key;
};

// "_f300-599": the download-name suffix of a frame range. Cannot fail.
std::string frame_range_suffix(int64_t first, int64_t last);

}  // namespace frameserve::render
