// frameserve thumbnail|clip — the CLI twins of GET .../thumbnail and
// GET .../clip: the same functions, the same exactness, the same errors.
#include <cstdio>

#include "cli/cli_context.hpp"
#include "cli/media_source.hpp"
#include "common/text.hpp"
#include "media/extraction.hpp"
#include "process/byte_sink.hpp"

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
  std::string output;
};

int run_clip(CliContext& ctx, const ClipArgs& args) {
  auto file = resolve_media_source(ctx, args.source);
  if (!file) return report_error(file.error());
  media::RangeSpec spec{args.start_frame, args.end_frame, args.start_time, args.end_time, args.fps};
  auto range = media::resolve_range(spec, *file.value());
  if (!range) return report_error(range.error());
  auto app = ctx.app();
  auto out = OutputTarget::open(args.output);
  if (!out) return report_error(out.error());
  auto stream = media::start_clip(app.value()->runner(), *file.value(), range.value(), args.audio == "on",
                                  app.value()->encoder());
  if (!stream) return report_error(stream.error());
  process::FdSink sink(out->fd());
  process::StreamOutcome outcome = stream.value()->pump(sink);
  if (!outcome.completed()) {
    return report_error(outcome.end == process::StreamOutcome::End::client_gone
                            ? internal_error("writing the clip failed")
                            : tool_failed("the clip " + outcome.describe()));
  }
  if (Status committed = out->commit(); !committed) return report_error(committed.error());
  std::fprintf(stderr, "wrote frames %lld-%lld (%lld frames)\n", static_cast<long long>(range->first),
               static_cast<long long>(range->last), static_cast<long long>(range->count()));
  return 0;
}

}  // namespace

void add_media_commands(CLI::App& app, CliContext& ctx) {
  auto t = std::make_shared<ThumbnailArgs>();
  CLI::App* thumb = app.add_subcommand("thumbnail", "Write one exact frame as JPEG or PNG (like GET .../thumbnail)");
  thumb->add_option("SRC", t->source, "A registered file_uuid or a path to a video")->required();
  thumb->add_option("--frame", t->frame, "Zero-based frame number")->required();
  thumb->add_option("--crop", t->crop, "Crop x,y,w,h in pixels");
  thumb->add_option("--format", t->format, "jpeg or png (lossless)")->check(CLI::IsMember({"jpeg", "png"}))->capture_default_str();
  thumb->add_option("--quality", t->quality, "JPEG quality 1-100")->capture_default_str();
  thumb->add_option("--width", t->width, "Scale to this width (keeps the aspect ratio)");
  thumb->add_option("--height", t->height, "Scale to this height (keeps the aspect ratio)");
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
  clip->add_option("-o,--output", c->output, "Output file, or - for stdout")->required();
  clip->callback([&ctx, c] { ctx.action = [&ctx, c] { return run_clip(ctx, *c); }; });
}

}  // namespace frameserve::cli
