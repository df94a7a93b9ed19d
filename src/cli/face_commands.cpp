// frameserve representative-face | trace-thumbnail | preview | co-occur | scenes — the CLI
// twins of the face endpoints: the same service, the same JSON, the same image.
#include <cstdio>

#include "cli/cli_context.hpp"
#include "cli/media_source.hpp"
#include "common/file_uuid.hpp"
#include "common/text.hpp"
#include "faces/face_json.hpp"
#include "faces/face_service.hpp"
#include "faces/scene_service.hpp"
#include "faces/scenes.hpp"
#include "faces/trace_preview.hpp"
#include "media/extraction.hpp"
#include "media/preview_plan.hpp"
#include "media/requests.hpp"
#include "process/byte_sink.hpp"

namespace frameserve::cli {

namespace {

// The services and the registered file, or the first error. `media`: the
// command reads the file's bytes, which are checked on disk first (the JSON
// commands answer from the database alone).
struct Registered {
  app::AppContext& app;
  db::ResolvedFile file;
};
Result<Registered> resolve_registered(CliContext& ctx, const std::string& uuid, bool media = false) {
  if (Status valid = check_file_uuid(uuid, "UUID"); !valid) return valid.error();
  auto app = ctx.app();
  if (!app) return app.error();
  auto file = media ? resolve_registered_media(*app.value(), uuid) : app.value()->catalog().resolve(uuid);
  if (!file) return file.error();
  return Registered{*app.value(), std::move(file.value())};
}

int print_representative(CliContext& ctx, const std::string& uuid, int64_t trace) {
  auto found = resolve_registered(ctx, uuid);
  if (!found) return report_error(found.error());
  auto face = found->app.faces().representative_face(found->file, trace);
  if (!face) return report_error(face.error());
  std::printf("%s\n", faces::representative_face_json(uuid, face.value()).c_str());
  return 0;
}

int write_trace_thumbnail(CliContext& ctx, const std::string& uuid, int64_t trace, int64_t side, int quality,
                          const std::string& output) {
  auto found = resolve_registered(ctx, uuid, true);
  if (!found) return report_error(found.error());
  auto request = found->app.faces().trace_thumbnail_request(found->file, trace, side, quality);
  if (!request) return report_error(request.error());
  auto image = media::extract_frame(found->app.runner(), *found->file.media, request.value());
  if (!image) return report_error(image.error());
  auto out = OutputTarget::open(output);
  if (!out) return report_error(out.error());
  process::FdSink sink(out->fd());
  if (!sink.write(image->data(), image->size())) return report_error(internal_error("writing the image failed"));
  if (Status committed = out->commit(); !committed) return report_error(committed.error());
  return 0;
}

struct PreviewArgs {
  std::string uuid;
  int64_t trace = -1;
  std::string format = "webp";
  media::PreviewRequest request;
  std::string output;
};

int write_trace_preview(CliContext& ctx, const PreviewArgs& args) {
  auto found = resolve_registered(ctx, args.uuid, true);
  if (!found) return report_error(found.error());
  media::PreviewRequest request = args.request;
  request.format = args.format == "gif" ? media::PreviewFormat::gif : media::PreviewFormat::webp;
  auto preview = found->app.previews().preview(found->file, args.trace, request);
  if (!preview) return report_error(preview.error());
  auto out = OutputTarget::open(args.output);
  if (!out) return report_error(out.error());
  process::FdSink sink(out->fd());
  if (!sink.write(preview->bytes.data(), preview->bytes.size())) {
    return report_error(internal_error("writing the preview failed"));
  }
  if (Status committed = out->commit(); !committed) return report_error(committed.error());
  return 0;
}

int print_cooccurrence(CliContext& ctx, const std::string& uuid, const std::string& a, const std::string& b) {
  auto found = resolve_registered(ctx, uuid);
  if (!found) return report_error(found.error());
  auto result = found->app.faces().cooccurrence(found->file, a, b);
  if (!result) return report_error(result.error());
  std::printf("%s\n", faces::cooccurrence_json(uuid, result.value()).c_str());
  return 0;
}

struct SceneArgs {
  std::string uuid;
  faces::SceneQuery query;
  std::string with;
  bool json = false;
  std::string output;
};

int print_scenes(CliContext& ctx, const SceneArgs& args) {
  auto found = resolve_registered(ctx, args.uuid);
  if (!found) return report_error(found.error());
  faces::SceneQuery query = args.query;
  if (!args.with.empty()) query.with_identity_uuid = args.with;
  auto list = found->app.scenes().scenes(found->file, query);
  if (!list) return report_error(list.error());
  if (args.output.empty()) {
    std::string text =
        args.json ? faces::scenes_json(args.uuid, list.value()) + "\n" : faces::scenes_text(list.value());
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  // -o writes the endpoint's JSON, kept only once it is complete.
  std::string json = faces::scenes_json(args.uuid, list.value()) + "\n";
  auto out = OutputTarget::open(args.output);
  if (!out) return report_error(out.error());
  process::FdSink sink(out->fd());
  if (!sink.write(json.data(), json.size())) return report_error(internal_error("writing the scenes failed"));
  if (Status committed = out->commit(); !committed) return report_error(committed.error());
  return 0;
}

struct FaceArgs {
  std::string uuid;
  int64_t trace = -1;
  std::string identity_a;
  std::string identity_b;
  int64_t size = faces::k_trace_thumbnail_side;
  int quality = media::FrameRequest{}.quality;
  std::string output;
};

}  // namespace

void add_face_commands(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<FaceArgs>();
  CLI::App* rep = app.add_subcommand("representative-face",
                                     "Print a trace's best face as JSON (like GET .../trace/T/representative-face)");
  rep->add_option("UUID", args->uuid, "A registered file_uuid")->required();
  rep->add_option("TRACE", args->trace, "trace_id")->required()->check(CLI::NonNegativeNumber);
  rep->callback(
      [&ctx, args] { ctx.action = [&ctx, args] { return print_representative(ctx, args->uuid, args->trace); }; });

  CLI::App* thumb = app.add_subcommand(
      "trace-thumbnail",
      "Write a trace's best face as a square JPEG, 320x320 by default (like GET .../trace/T/thumbnail)");
  thumb->add_option("UUID", args->uuid, "A registered file_uuid")->required();
  thumb->add_option("TRACE", args->trace, "trace_id")->required()->check(CLI::NonNegativeNumber);
  whole_number_option(thumb->add_option("--size", args->size, "Side of the square image in pixels"), 1,
                      media::k_max_image_side)
      ->capture_default_str();
  whole_number_option(thumb->add_option("--quality", args->quality, "JPEG quality 1-100"), 1, 100)
      ->capture_default_str();
  thumb->add_option("-o,--output", args->output, "Output file, or - for stdout")->required();
  thumb->callback([&ctx, args] {
    ctx.action = [&ctx, args] {
      return write_trace_thumbnail(ctx, args->uuid, args->trace, args->size, args->quality, args->output);
    };
  });

  auto preview = std::make_shared<PreviewArgs>();
  CLI::App* pv = app.add_subcommand(
      "preview",
      "Write a trace's moving preview, an animated WebP or GIF with its face box (like GET .../trace/T/preview)");
  pv->add_option("UUID", preview->uuid, "A registered file_uuid")->required();
  pv->add_option("--trace", preview->trace, "trace_id")->required()->check(CLI::NonNegativeNumber);
  pv->add_option("--format", preview->format, "webp or gif")
      ->check(CLI::IsMember({"webp", "gif"}))
      ->capture_default_str();
  whole_number_option(pv->add_option("--width", preview->request.width, "Width in pixels"), media::k_preview_min_width,
                      media::k_preview_max_width)
      ->capture_default_str();
  whole_number_option(pv->add_option("--fps", preview->request.fps, "Frames per second"), media::k_preview_min_fps,
                      media::k_preview_max_fps)
      ->capture_default_str();
  pv->add_option("-o,--output", preview->output, "Output file, or - for stdout")->required();
  pv->callback([&ctx, preview] { ctx.action = [&ctx, preview] { return write_trace_preview(ctx, *preview); }; });

  CLI::App* co = app.add_subcommand(
      "co-occur", "Print where two identities first appear together, as JSON (like GET .../co-occur-with/B)");
  co->add_option("UUID", args->uuid, "A registered file_uuid")->required();
  co->add_option("A", args->identity_a, "identity_uuid")->required();
  co->add_option("B", args->identity_b, "identity_uuid")->required();
  co->callback([&ctx, args] {
    ctx.action = [&ctx, args] { return print_cooccurrence(ctx, args->uuid, args->identity_a, args->identity_b); };
  });

  auto scene = std::make_shared<SceneArgs>();
  CLI::App* sc = app.add_subcommand(
      "scenes", "Print every scene of an identity, or of two together (like GET .../identities/ID/scenes)");
  sc->add_option("UUID", scene->uuid, "A registered file_uuid")->required();
  sc->add_option("--identity", scene->query.identity_uuid, "identity_uuid")->required();
  sc->add_option("--with", scene->with, "A second identity_uuid: the scenes the two share");
  sc->add_option("--pad-frames", scene->query.pad_frames, "Frames added before and after each scene (default: 1 s)")
      ->check(CLI::Range(int64_t{0}, faces::k_max_scene_frames));
  sc->add_option("--gap-frames", scene->query.gap_frames,
                 "Gaps shorter than this many frames are joined (default: 2 s)")
      ->check(CLI::Range(int64_t{0}, faces::k_max_scene_frames));
  sc->add_flag("--json", scene->json, "Print the endpoint's JSON instead of one line per scene");
  sc->add_option("-o,--output", scene->output, "Write the endpoint's JSON to this file (- for stdout)");
  sc->callback([&ctx, scene] { ctx.action = [&ctx, scene] { return print_scenes(ctx, *scene); }; });
}

}  // namespace frameserve::cli
