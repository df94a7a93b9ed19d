// frameserve hls — the CLI twin of `format=hls`: writes a view's VOD
// playlist and every segment into a directory, planned and rendered by the
// same service as the endpoint (render::RenderService; segments are not
// kept in the server's segment cache). The written playlist names its
// segments relatively (segment_00000.ts, ...) so that it plays from the
// directory.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli/cli_context.hpp"
#include "cli/media_source.hpp"
#include "cli/progress_reporter.hpp"
#include "common/file_uuid.hpp"
#include "common/text.hpp"
#include "hls/hls_plan.hpp"
#include "process/byte_sink.hpp"
#include "render/render_service.hpp"

namespace frameserve::cli {

namespace {

struct HlsArgs {
  std::string uuid;
  std::string view = "video";
  std::optional<int64_t> start_frame;
  std::optional<int64_t> end_frame;
  std::optional<double> start_time;
  std::optional<double> end_time;
  int64_t pad_frames = 0;
  bool no_audio = false;
  double segment_seconds = hls::k_hls_max_segment_seconds;
  std::string output;
  std::string progress;  // --progress FILE|-
};

// `--view video|debug|bbox|trace:ID` (debug: the /video?mode=debug view,
// i.e. bbox). Errors: `invalid_argument` naming the valid forms.
Result<render::View> parse_view(const std::string& text) {
  render::View view;
  if (text == "video") return view;
  if (text == "debug" || text == "bbox") {
    view.kind = render::View::Kind::bbox;
    return view;
  }
  if (text.rfind("trace:", 0) == 0) {
    auto id = parse_int64(text.substr(6));
    if (id && *id >= 0) {
      view.kind = render::View::Kind::trace;
      view.trace_id = *id;
      return view;
    }
  }
  return invalid_argument("bad_view", "view " + quote_for_message(text) +
                                          " is not one of video, debug, bbox, trace:ID (ID a whole number >= 0)");
}

std::string segment_name(int64_t index) {
  char name[32];
  std::snprintf(name, sizeof name, "segment_%05lld.ts", static_cast<long long>(index));
  return name;
}

int run_hls(CliContext& ctx, const HlsArgs& args) {
  if (Status valid = check_file_uuid(args.uuid, "UUID"); !valid) return report_error(valid.error());
  auto view = parse_view(args.view);
  if (!view) return report_error(view.error());
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  auto file = resolve_registered_media(*app.value(), args.uuid);
  if (!file) return report_error(file.error());
  const render::RenderService& render = app.value()->render();
  // The range as the endpoints resolve it (a trace's span by default).
  render::RenderRequest request;
  request.view = view.value();
  request.range = media::RangeSpec{args.start_frame, args.end_frame, args.start_time, args.end_time, std::nullopt};
  request.pad_frames = args.pad_frames;
  request.audio = !args.no_audio;
  request.format = render::Format::hls;
  request.segment_seconds = args.segment_seconds;
  request.cached = false;
  auto playlist = render.plan(file.value(), request);
  if (!playlist) return report_error(playlist.error());
  auto progress = ProgressReporter::open(args.progress, stderr_is_terminal());
  if (!progress) return report_error(progress.error());

  std::error_code ec;
  std::filesystem::create_directories(args.output, ec);
  if (ec) return report_error(invalid_argument("bad_output", "cannot create " + args.output + ": " + ec.message()));
  const std::vector<hls::HlsSegment>& segments = playlist->segments;
  // Segments render one after another: frames done are those of the
  // finished segments and the current one's progress.
  int64_t total = 0;
  for (const media::FrameRange& piece : playlist->pieces) total += piece.count();
  int64_t finished = 0;
  for (const hls::HlsSegment& segment : segments) {
    request.segment = std::to_string(segment.index);
    auto plan = render.plan(file.value(), request);
    if (!plan) return report_error(plan.error());
    auto out = OutputTarget::open(args.output + "/" + segment_name(segment.index));
    if (!out) return report_error(out.error());
    auto body = render.open(plan.value());
    if (!body) return report_error(body.error());
    if (!body->stream)
      return report_error(internal_error("segment " + std::to_string(segment.index) + " is not a stream"));
    process::FdSink sink(out->fd());
    process::StreamOutcome outcome = body->stream->pump(sink, [&](int64_t frames) {
      progress.value()->update("encode", "frames", finished + std::min(frames, segment.frames.count()), total);
    });
    if (!outcome.completed()) {
      return report_error(tool_failed("segment " + std::to_string(segment.index) + " " + outcome.describe()));
    }
    if (Status committed = out->commit(); !committed) return report_error(committed.error());
    finished += segment.frames.count();
    progress.value()->update("encode", "frames", finished, total);
  }
  progress.value()->finish();
  // The playlist last: a directory with a playlist is a complete one.
  std::string text = render.playlist(playlist.value(), segment_name);
  if (Status written = write_whole_file(args.output + "/index.m3u8", text); !written) {
    return report_error(written.error());
  }
  const media::FrameRange range{playlist->pieces.front().first, playlist->pieces.back().last};
  std::fprintf(stderr, "wrote %s/index.m3u8 and %zu segments: frames %lld-%lld\n", args.output.c_str(), segments.size(),
               static_cast<long long>(range.first), static_cast<long long>(range.last));
  return 0;
}

}  // namespace

void add_hls_command(CLI::App& app, CliContext& ctx) {
  auto h = std::make_shared<HlsArgs>();
  CLI::App* hls = app.add_subcommand(
      "hls", "Write a view as an HLS VOD playlist and its MPEG-TS segments into a directory (like ...?format=hls)");
  hls->add_option("UUID", h->uuid, "A registered file_uuid")->required();
  hls->add_option("--view", h->view, "video, debug, bbox or trace:ID")->capture_default_str();
  hls->add_option("--start-frame", h->start_frame, "First frame (zero-based)");
  hls->add_option("--end-frame", h->end_frame, "Last frame (inclusive)");
  hls->add_option("--start-time", h->start_time, "Start, seconds");
  hls->add_option("--end-time", h->end_time, "End, seconds");
  hls->add_option("--pad-frames", h->pad_frames, "Frames added before and after the range")->capture_default_str();
  decimal_number_option(hls->add_option("--segment-seconds", h->segment_seconds, "Longest segment, seconds"), 0.5, 6.0)
      ->capture_default_str();
  hls->add_flag("--no-audio", h->no_audio, "Leave the audio out");
  hls->add_option("-o,--output", h->output, "Output directory (index.m3u8 and segment_NNNNN.ts)")->required();
  hls->add_option(
      "--progress", h->progress,
      "Write key=value progress lines (stage=encode, frames=, total_frames=, speed=, progress=end) to FILE, "
      "or -; a terminal shows a progress line on stderr");
  hls->callback([&ctx, h] { ctx.action = [&ctx, h] { return run_hls(ctx, *h); }; });
}

}  // namespace frameserve::cli
