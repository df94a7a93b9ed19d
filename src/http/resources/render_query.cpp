#include "http/resources/render_query.hpp"

#include "common/text.hpp"
#include "faces/scenes.hpp"
#include "http/resources/media_params.hpp"

namespace frameserve::http {

namespace {
// format=mp4|hls (default mp4); with hls, the segment asked for and the
// revision its URL named.
Status read_format(const QueryParams& query, render::Format mp4, render::RenderRequest& request,
                   const char* fallback = "mp4") {
  auto format = query.choice("format", {"mp4", "hls"}, fallback);
  if (!format) return format.error();
  if (format.value() != "hls") {
    if (query.has("segment")) {
      return invalid_argument("segment_without_hls", "segment is a parameter of format=hls only");
    }
    request.format = mp4;
    return Status();
  }
  request.format = render::Format::hls;
  auto segment = query.text("segment");
  if (!segment) return segment.error();
  request.segment = segment.value();
  auto revision = query.text("rev");
  if (!revision) return revision.error();
  request.asked_revision = revision.value();
  return Status();
}

Status read_pad(const QueryParams& query, render::RenderRequest& request) {
  auto pad = query.integer("pad_frames", 0, 1000000);
  if (!pad) return pad.error();
  request.pad_frames = pad.value().value_or(0);
  return Status();
}
}  // namespace

Result<render::RenderRequest> read_clip_request(const QueryParams& query) {
  auto params = read_stream_params(query);
  if (!params) return params.error();
  render::RenderRequest request;
  request.view.kind = params->debug ? render::View::Kind::clip_debug : render::View::Kind::plain;
  request.range = params->range;
  request.audio = params->audio;
  request.format = render::Format::ts;
  return request;
}

Result<render::RenderRequest> read_video_request(const QueryParams& query) {
  auto params = read_stream_params(query);
  if (!params) return params.error();
  render::RenderRequest request;
  request.range = params->range;
  request.audio = params->audio;
  if (params->debug) {
    // mode=debug: the same overlays as /video/bbox (re-encoded, not copied).
    request.view.kind = render::View::Kind::bbox;
    if (Status read = read_format(query, render::Format::mp4, request); !read) return read.error();
    if (Status read = read_pad(query, request); !read) return read.error();
    return request;
  }
  if (Status read = read_format(query, render::Format::copy, request); !read) return read.error();
  return request;
}

Result<render::RenderRequest> read_overlay_request(const QueryParams& query, render::View view) {
  auto params = read_stream_params(query);
  if (!params) return params.error();
  render::RenderRequest request;
  request.view = view;
  request.range = params->range;
  request.audio = params->audio;
  if (Status read = read_format(query, render::Format::mp4, request); !read) return read.error();
  if (Status read = read_pad(query, request); !read) return read.error();
  return request;
}

Result<render::RenderRequest> read_scene_video_request(const QueryParams& query, faces::SceneQuery scenes) {
  auto audio = query.choice("audio", {"on", "off"}, "on");
  if (!audio) return audio.error();
  auto mode = query.choice("mode", {"normal", "debug"}, "normal");
  if (!mode) return mode.error();
  auto pad = query.integer("pad_frames", 0, faces::k_max_scene_frames);
  if (!pad) return pad.error();
  auto gap = query.integer("gap_frames", 0, faces::k_max_scene_frames);
  if (!gap) return gap.error();
  render::RenderRequest request;
  request.view.kind = mode.value() == "debug" ? render::View::Kind::bbox : render::View::Kind::plain;
  scenes.pad_frames = pad.value();
  scenes.gap_frames = gap.value();
  request.view.scenes = std::move(scenes);
  request.audio = audio.value() == "on";
  if (Status read = read_format(query, render::Format::mp4, request, "hls"); !read) return read.error();
  return request;
}

Result<int64_t> parse_trace_id(const std::string& text) {
  auto id = parse_int64(text);
  if (!id || *id < 0) {
    return invalid_argument("bad_trace_id", "trace_id " + quote_for_message(text) + " is not a whole number >= 0");
  }
  return *id;
}

}  // namespace frameserve::http
