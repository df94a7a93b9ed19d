// frameserve thumbnail|clip|video|bbox-video — the CLI twins of GET
// .../thumbnail, .../clip, .../video (stream copy) and .../video/bbox: the
// same functions (media::extract_frame, render::RenderService), the same
// exactness, the same errors.
#include <algorithm>
#include <cstdio>

#include "cli/cli_context.hpp"
#include "cli/media_source.hpp"
#include "cli/progress_reporter.hpp"
#include "common/file_uuid.hpp"
#include "common/text.hpp"
#include "media/extraction.hpp"
#include "media/requests.hpp"
#include "process/byte_sink.hpp"
#include "render/render_service.hpp"

namespace frameserve::cli {

namespace {

struct ThumbnailArgs {
  std::string source;
  int64_t frame = -1;
  std::string crop;
  std::string format = "jpeg";
  int quality = 90;
  int64_t width = 0;
  int64_t height = 0;
  std::string output;
};

Result<media::CropRect> parse_crop(const std::string& text) {
  std::vector<std::string_view> parts = split(text, ',');
  if (parts.size() != 4) return invalid_argument("bad_crop", "--crop takes x,y,w,h");
  int64_t values[4];
  for (size_t i = 0; i < 4; ++i) {
    auto v = parse_int64(trim(parts[i]));
    if (!v) return invalid_argument("bad_crop", "--crop takes four whole numbers x,y,w,h");
    values[i] = *v;
  }
  return media::CropRect{values[0], values[1], values[2], values[3]};
}

int run_thumbnail(CliContext& ctx, const ThumbnailArgs& args) {
  media::FrameRequest request;
  request.frame = args.frame;
  request.format = args.format == "png" ? media::ImageFormat::png : media::ImageFormat::jpeg;
  request.quality = args.quality;
  if (args.width > 0) request.width = args.width;
  if (args.height > 0) request.height = args.height;
  if (!args.crop.empty()) {
    auto crop = parse_crop(args.crop);
    if (!crop) return report_error(crop.error());
    request.crop = crop.value();
  }
  auto file = resolve_media_source(ctx, args.source);
  if (!file) return report_error(file.error());
  auto app = ctx.app();
  auto image = media::extract_frame(app.value()->runner(), *file.value(), request);
  if (!image) return report_error(image.error());
  auto out = OutputTarget::open(args.output);
  if (!out) return report_error(out.error());
  process::FdSink sink(out->fd());
  if (!sink.write(image->data(), image->size())) {
    return report_error(internal_error("writing the image failed"));
  }
  if (Status committed = out->commit(); !committed) return report_error(committed.error());
  return 0;
}

struct ClipArgs {
  std::string source;
  std::optional<int64_t> start_frame;
  std::optional<int64_t> end_frame;
  std::optional<double> start_time;
  std::optional<double> end_time;
  std::optional<double> fps;
  std::string audio = "on";
  bool debug = false;
  std::string output;
  std::string progress;  // --progress FILE|-
};

// The progress reporter of a command writing `output`. Errors:
// `invalid_argument` when both would go to stdout, or the file cannot be
// created.
Result<std::unique_ptr<ProgressReporter>> open_progress(const std::string& progress, const std::string& output) {
  if (progress == "-" && output == "-") {
    return invalid_argument("bad_progress", "--progress - and -o - cannot both be stdout; give --progress a file");
  }
  return ProgressReporter::open(progress, stderr_is_terminal());
}

// Writes a started stream of `total_frames` to the output target, showing
// its progress; reports how it ended.
int write_stream(process::MediaStream& stream, OutputTarget& out, const std::string& what, ProgressReporter& progress,
                 int64_t total_frames) {
  process::FdSink sink(out.fd());
  process::StreamOutcome outcome = stream.pump(
      sink, [&](int64_t frames) { progress.update("encode", "frames", std::min(frames, total_frames), total_frames); });
  if (outcome.completed()) progress.update("encode", "frames", total_frames, total_frames);
  progress.finish();
  if (!outcome.completed()) {
    return report_error(outcome.end == process::StreamOutcome::End::client_gone
                            ? internal_error("writing the " + what + " failed")
                            : tool_failed("the " + what + " " + outcome.describe()));
  }
  if (Status committed = out.commit(); !committed) return report_error(committed.error());
  return 0;
}

// Plans `request` for `file` with the render service, starts it and writes
// it to `output`; says which frames it wrote (`frames` of the plan).
// Returns the exit code.
int write_render(app::AppContext& app, const db::ResolvedFile& file, render::RenderRequest request,
                 const std::string& output, const std::string& progress_to, const std::string& what,
                 render::RenderPlan* planned = nullptr) {
  auto plan = app.render().plan(file, std::move(request));
  if (!plan) return report_error(plan.error());
  auto progress = open_progress(progress_to, output);
  if (!progress) return report_error(progress.error());
  auto out = OutputTarget::open(output);
  if (!out) return report_error(out.error());
  auto body = app.render().open(plan.value());
  if (!body) return report_error(body.error());
  if (!body->stream) return report_error(internal_error("the " + what + " is not a stream"));
  if (planned) *planned = plan.value();
  return write_stream(*body->stream, out.value(), what, *progress.value(), plan->frames.count());
}

// A SRC for the render service: a registered file, or a probed path
// (registration and revision 0).
Result<db::ResolvedFile> resolved_source(CliContext& ctx, const std::string& source) {
  auto file = resolve_media_source(ctx, source);
  if (!file) return file.error();
  db::ResolvedFile resolved;
  resolved.media = std::move(file.value());
  return resolved;
}

int run_clip(CliContext& ctx, const ClipArgs& args) {
  auto file = resolved_source(ctx, args.source);
  if (!file) return report_error(file.error());
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  render::RenderRequest request;
  request.view.kind = args.debug ? render::View::Kind::clip_debug : render::View::Kind::plain;
  request.range = media::RangeSpec{args.start_frame, args.end_frame, args.start_time, args.end_time, args.fps};
  request.format = render::Format::ts;
  request.audio = args.audio == "on";
  render::RenderPlan plan;
  if (int code =
          write_render(*app.value(), file.value(), std::move(request), args.output, args.progress, "clip", &plan);
      code != 0) {
    return code;
  }
  std::fprintf(stderr, "wrote frames %lld-%lld (%lld frames)\n", static_cast<long long>(plan.frames.first),
               static_cast<long long>(plan.frames.last), static_cast<long long>(plan.frames.count()));
  return 0;
}

struct VideoArgs {
  std::string source;
  std::optional<int64_t> start_frame;
  std::optional<int64_t> end_frame;
  std::optional<double> start_time;
  std::optional<double> end_time;
  std::optional<double> fps;
  std::string audio = "on";
  std::string output;
  std::string progress;
};

// The twin of GET .../video with a range or audio=off: a stream copy (no
// re-encoding) as fragmented MP4, from the keyframe at or before the start.
int run_video(CliContext& ctx, const VideoArgs& args) {
  auto file = resolved_source(ctx, args.source);
  if (!file) return report_error(file.error());
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  render::RenderRequest request;
  request.range = media::RangeSpec{args.start_frame, args.end_frame, args.start_time, args.end_time, args.fps};
  request.format = render::Format::copy;
  request.audio = args.audio == "on";
  request.whole_file_as_is = false;
  render::RenderPlan plan;
  // A copy counts the frames it copies, from the keyframe on.
  if (int code =
          write_render(*app.value(), file.value(), std::move(request), args.output, args.progress, "video", &plan);
      code != 0) {
    return code;
  }
  std::fprintf(stderr, "wrote frames %lld-%lld (a stream copy starts at the keyframe %lld)\n",
               static_cast<long long>(plan.frames.first), static_cast<long long>(plan.frames.last),
               static_cast<long long>(plan.frames.first));
  return 0;
}

struct BboxArgs {
  std::string uuid;
  std::optional<int64_t> trace;
  std::optional<int64_t> start_frame;
  std::optional<int64_t> end_frame;
  std::optional<double> start_time;
  std::optional<double> end_time;
  int64_t pad_frames = 0;
  std::string audio = "on";
  std::string format = "mp4";
  std::string output;
  std::string progress;
};

int run_bbox_video(CliContext& ctx, const BboxArgs& args) {
  if (Status valid = check_file_uuid(args.uuid, "UUID"); !valid) return report_error(valid.error());
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  auto file = resolve_registered_media(*app.value(), args.uuid);
  if (!file) return report_error(file.error());
  render::RenderRequest request;
  request.view.kind = args.trace ? render::View::Kind::trace : render::View::Kind::bbox;
  request.view.trace_id = args.trace;
  request.range = media::RangeSpec{args.start_frame, args.end_frame, args.start_time, args.end_time, std::nullopt};
  request.pad_frames = args.pad_frames;
  request.audio = args.audio == "on";
  request.format = args.format == "ts" ? render::Format::ts : render::Format::mp4;
  render::RenderPlan plan;
  if (int code = write_render(*app.value(), file.value(), std::move(request), args.output, args.progress,
                              "overlay video", &plan);
      code != 0) {
    return code;
  }
  std::fprintf(stderr, "wrote frames %lld-%lld with their detections drawn\n",
               static_cast<long long>(plan.frames.first), static_cast<long long>(plan.frames.last));
  return 0;
}

constexpr const char* k_progress_help =
    "Write key=value progress lines (stage=encode, frames=, total_frames=, speed=, progress=end) to FILE, or -; "
    "a terminal shows a progress line on stderr";

}  // namespace

void add_media_commands(CLI::App& app, CliContext& ctx) {
  auto t = std::make_shared<ThumbnailArgs>();
  CLI::App* thumb = app.add_subcommand("thumbnail", "Write one exact frame as JPEG or PNG (like GET .../thumbnail)");
  thumb->add_option("SRC", t->source, "A registered file_uuid or a path to a video")->required();
  thumb->add_option("--frame", t->frame, "Zero-based frame number")->required();
  thumb->add_option("--crop", t->crop, "Crop x,y,w,h in pixels");
  thumb->add_option("--format", t->format, "jpeg or png (lossless)")
      ->check(CLI::IsMember({"jpeg", "png"}))
      ->capture_default_str();
  thumb->add_option("--quality", t->quality, "JPEG quality 1-100")->capture_default_str();
  whole_number_option(thumb->add_option("--width", t->width, "Scale to this width (keeps the aspect ratio)"), 1,
                      media::k_max_image_side);
  whole_number_option(thumb->add_option("--height", t->height, "Scale to this height (keeps the aspect ratio)"), 1,
                      media::k_max_image_side);
  thumb->add_option("-o,--output", t->output, "Output file, or - for stdout")->required();
  thumb->callback([&ctx, t] { ctx.action = [&ctx, t] { return run_thumbnail(ctx, *t); }; });

  auto c = std::make_shared<ClipArgs>();
  CLI::App* clip = app.add_subcommand("clip", "Write a frame-exact clip as MPEG-TS, H.264 + AAC (like GET .../clip)");
  clip->add_option("SRC", c->source, "A registered file_uuid or a path to a video")->required();
  clip->add_option("--start-frame", c->start_frame, "First frame (zero-based)");
  clip->add_option("--end-frame", c->end_frame, "Last frame (inclusive)");
  clip->add_option("--start-time", c->start_time, "Start, seconds (when not using frames)");
  clip->add_option("--end-time", c->end_time, "End, seconds");
  clip->add_option("--fps", c->fps, "Frame rate for time-to-frame conversion (default: real timestamps)");
  clip->add_option("--audio", c->audio, "on or off")->check(CLI::IsMember({"on", "off"}))->capture_default_str();
  clip->add_flag("--debug", c->debug, "Draw \"CLIP\" and the source frame number on every frame");
  clip->add_option("-o,--output", c->output, "Output file, or - for stdout")->required();
  clip->add_option("--progress", c->progress, k_progress_help);
  clip->callback([&ctx, c] { ctx.action = [&ctx, c] { return run_clip(ctx, *c); }; });

  auto v = std::make_shared<VideoArgs>();
  CLI::App* video = app.add_subcommand(
      "video", "Write a stream copy (no re-encoding) of a range as fragmented MP4 (like GET .../video?start_frame=..)");
  video->add_option("SRC", v->source, "A registered file_uuid or a path to a video")->required();
  video->add_option("--start-frame", v->start_frame,
                    "First frame (zero-based; the copy starts at the keyframe before it)");
  video->add_option("--end-frame", v->end_frame, "Last frame (inclusive)");
  video->add_option("--start-time", v->start_time, "Start, seconds (when not using frames)");
  video->add_option("--end-time", v->end_time, "End, seconds");
  video->add_option("--fps", v->fps, "Frame rate for time-to-frame conversion (default: real timestamps)");
  video->add_option("--audio", v->audio, "on or off")->check(CLI::IsMember({"on", "off"}))->capture_default_str();
  video->add_option("-o,--output", v->output, "Output file, or - for stdout")->required();
  video->add_option("--progress", v->progress, k_progress_help);
  video->callback([&ctx, v] { ctx.action = [&ctx, v] { return run_video(ctx, *v); }; });

  auto b = std::make_shared<BboxArgs>();
  CLI::App* bbox = app.add_subcommand(
      "bbox-video", "Write a video with detections boxed and labelled (like GET .../video/bbox and .../trace/T/video)");
  bbox->add_option("UUID", b->uuid, "A registered file_uuid")->required();
  bbox->add_option("--trace", b->trace, "Follow this trace (others dimmed); default range: its first to last frame");
  bbox->add_option("--start-frame", b->start_frame, "First frame (zero-based)");
  bbox->add_option("--end-frame", b->end_frame, "Last frame (inclusive)");
  bbox->add_option("--start-time", b->start_time, "Start, seconds");
  bbox->add_option("--end-time", b->end_time, "End, seconds");
  bbox->add_option("--pad-frames", b->pad_frames, "Frames added before and after the range")->capture_default_str();
  bbox->add_option("--audio", b->audio, "on or off")->check(CLI::IsMember({"on", "off"}))->capture_default_str();
  bbox->add_option("--format", b->format, "mp4 (fragmented) or ts")
      ->check(CLI::IsMember({"mp4", "ts"}))
      ->capture_default_str();
  bbox->add_option("-o,--output", b->output, "Output file, or - for stdout")->required();
  bbox->add_option("--progress", b->progress, k_progress_help);
  bbox->callback([&ctx, b] { ctx.action = [&ctx, b] { return run_bbox_video(ctx, *b); }; });
}

}  // namespace frameserve::cli
