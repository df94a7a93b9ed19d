// frameserve storyboard — the CLI twin of GET .../storyboard: writes
// storyboard.json, storyboard.vtt and the sheets (storyboard/N.jpg) of one
// storyboard into a directory, planned and rendered by the same functions
// as the endpoints (media::plan_storyboard, storyboard::storyboard_sheet).
// The files name the sheets relatively, as the endpoints do, so the
// directory serves as it is.
#include <cstdio>
#include <filesystem>

#include "cli/cli_context.hpp"
#include "cli/media_source.hpp"
#include "process/byte_sink.hpp"
#include "storyboard/storyboard_service.hpp"

namespace frameserve::cli {

namespace {

struct StoryboardArgs {
  std::string source;
  double interval = 10;
  int64_t width = 160;
  bool exact = false;
  std::string output;
};

std::string sheet_name(size_t sheet) { return "storyboard/" + std::to_string(sheet) + ".jpg"; }

int run_storyboard(CliContext& ctx, const StoryboardArgs& args) {
  auto file = resolve_media_source(ctx, args.source);
  if (!file) return report_error(file.error());
  auto plan = media::plan_storyboard(*file.value(), media::StoryboardRequest{args.interval, args.width, args.exact});
  if (!plan) return report_error(plan.error());
  auto app = ctx.app();
  if (!app) return report_error(app.error());

  std::error_code ec;
  std::filesystem::create_directories(args.output + "/storyboard", ec);
  if (ec) return report_error(invalid_argument("bad_output", "cannot create " + args.output + ": " + ec.message()));
  for (size_t sheet = 0; sheet < plan->sheets.size(); ++sheet) {
    auto image = storyboard::storyboard_sheet(app.value()->runner(), app.value()->segment_cache(), *file.value(),
                                              plan.value(), sheet);
    if (!image) return report_error(image.error());
    if (Status written = write_whole_file(args.output + "/" + sheet_name(sheet), image->jpeg); !written) {
      return report_error(written.error());
    }
  }
  // The documents last: a directory with storyboard.json is a complete one.
  std::string vtt = storyboard::storyboard_vtt(plan.value(), sheet_name);
  if (Status written = write_whole_file(args.output + "/storyboard.vtt", vtt); !written)
    return report_error(written.error());
  std::string json = storyboard::storyboard_json(*file.value(), plan.value(), sheet_name, "storyboard.vtt");
  if (Status written = write_whole_file(args.output + "/storyboard.json", json); !written) {
    return report_error(written.error());
  }
  std::fprintf(stderr, "wrote %s/storyboard.json, storyboard.vtt and %zu sheets: %zu tiles of %dx%d\n",
               args.output.c_str(), plan->sheets.size(), plan->tiles.size(), plan->tile_width, plan->tile_height);
  return 0;
}

}  // namespace

void add_storyboard_command(CLI::App& app, CliContext& ctx) {
  auto a = std::make_shared<StoryboardArgs>();
  CLI::App* cmd = app.add_subcommand(
      "storyboard", "Write a storyboard: storyboard.json, storyboard.vtt and JPEG sheets (like GET .../storyboard)");
  cmd->add_option("SRC", a->source, "A registered file_uuid or a path to a video")->required();
  cmd->add_option("--interval", a->interval, "Seconds between tiles, 0.1 to 3600")->capture_default_str();
  cmd->add_option("--width", a->width, "Tile width in pixels, 16 to 1280 (height keeps the aspect ratio)")
      ->capture_default_str();
  cmd->add_flag("--exact", a->exact, "The exact frame at each interval (default: the nearest keyframe, much faster)");
  cmd->add_option("-o,--output", a->output, "Output directory")->required();
  cmd->callback([&ctx, a] { ctx.action = [&ctx, a] { return run_storyboard(ctx, *a); }; });
}

}  // namespace frameserve::cli
