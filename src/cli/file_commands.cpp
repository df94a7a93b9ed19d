// frameserve file add|list|rm|check|relink — registering videos, and
// finding out which registered files moved, changed or vanished on disk.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/cli_context.hpp"
#include "cli/progress_reporter.hpp"
#include "common/file_uuid.hpp"
#include "common/json_writer.hpp"
#include "common/text.hpp"
#include "import/file_registration.hpp"

namespace frameserve::cli {

namespace {

int add_file(CliContext& ctx, const std::string& path, const std::string& uuid, const std::string& progress_to) {
  if (!uuid.empty()) {
    if (Status valid = check_file_uuid(uuid, "--uuid"); !valid) return report_error(valid.error());
  }
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  auto reporter = ProgressReporter::open(progress_to, stderr_is_terminal());
  if (!reporter) return report_error(reporter.error());
  // The packet scan and the decode pass are ffprobe runs that report
  // nothing until they end: progress says which stage runs (with the
  // decode pass, how many frames it decodes), and the frame count once
  // indexed.
  reporter.value()->update("probe", "frames", 0, 0);
  ProgressReporter& progress = *reporter.value();
  auto media = import::register_media_file(
      app.value()->runner(), app.value()->files(), path, uuid,
      [&progress](const char* stage, int64_t frames) { progress.update(stage, "frames", 0, frames); });
  if (media) {
    reporter.value()->update("index", "frames", media->info.frame_count, media->info.frame_count);
  }
  reporter.value()->finish();
  if (!media) return report_error(media.error());
  std::printf("%s\n", media->file_uuid.c_str());
  std::fprintf(stderr, "registered %s: %dx%d, %lld frames, %s fps, %.3f s%s\n", media->path.c_str(), media->info.width,
               media->info.height, static_cast<long long>(media->info.frame_count),
               format_fixed(media->info.fps.value(), 3).c_str(), media->info.duration_secs,
               media->info.has_audio ? ", with audio" : ", no audio");
  return 0;
}

int list_files(CliContext& ctx, bool json) {
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  auto files = app.value()->files().list();
  if (!files) return report_error(files.error());
  if (json) {
    JsonWriter w;
    w.begin_array();
    for (const auto& f : files.value()) {
      import::FileCheck check = import::check_registered_file(app.value()->files(), f.file_uuid, f.path, f.identity(),
                                                              import::CheckDepth::quick);
      w.begin_object().field("file_uuid", f.file_uuid).field("path", f.path);
      w.field("state", import::file_state_name(check.state));
      w.field("width", f.info.width).field("height", f.info.height).field("frame_count", f.info.frame_count);
      w.field("fps", f.info.fps.value()).field("duration_secs", f.info.duration_secs);
      w.field("video_codec", f.info.video_codec).field("has_audio", f.info.has_audio);
      // How its frames are numbered, from its stored index.
      auto index = app.value()->files().load_index(f.file_uuid);
      if (!index) return report_error(index.error());
      w.field("indexing", media::indexing_name(index.value()->indexing())).end_object();
    }
    w.end_array();
    std::printf("%s\n", w.str().c_str());
    return 0;
  }
  std::printf("%-32s  %9s  %9s  %8s  %10s  %s\n", "FILE_UUID", "SIZE", "FRAMES", "FPS", "DURATION", "PATH");
  for (const auto& f : files.value()) {
    std::string size = std::to_string(f.info.width) + "x" + std::to_string(f.info.height);
    std::printf("%-32s  %9s  %9lld  %8s  %9.2fs  %s\n", f.file_uuid.c_str(), size.c_str(),
                static_cast<long long>(f.info.frame_count), format_fixed(f.info.fps.value(), 3).c_str(),
                f.info.duration_secs, f.path.c_str());
  }
  return 0;
}

int remove_file(CliContext& ctx, const std::string& uuid) {
  if (Status valid = check_file_uuid(uuid, "UUID"); !valid) return report_error(valid.error());
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  if (Status removed = app.value()->files().remove(uuid); !removed) return report_error(removed.error());
  std::fprintf(stderr, "removed %s and its detections\n", uuid.c_str());
  return 0;
}

// Checks the given files (every file when none is given), reading each
// one's fingerprint; one line per file. Exit code: 0 when all are ok, else
// that of `gone` (10) when any is missing, else that of `conflict` (6).
int check_files(CliContext& ctx, const std::vector<std::string>& uuids) {
  for (const std::string& uuid : uuids) {
    if (Status valid = check_file_uuid(uuid, "UUID"); !valid) return report_error(valid.error());
  }
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  db::FileStore& store = app.value()->files();
  std::vector<db::FileRow> rows;
  if (uuids.empty()) {
    auto all = store.list();
    if (!all) return report_error(all.error());
    rows = std::move(all.value());
  } else {
    for (const std::string& uuid : uuids) {
      auto row = store.find(uuid);
      if (!row) return report_error(row.error());
      rows.push_back(std::move(row.value()));
    }
  }
  int missing = 0;
  int changed = 0;
  for (const db::FileRow& f : rows) {
    import::FileCheck check =
        import::check_registered_file(store, f.file_uuid, f.path, f.identity(), import::CheckDepth::full);
    if (check.state == import::FileState::missing) ++missing;
    if (check.state == import::FileState::changed) ++changed;
    std::string line = f.file_uuid + "  " + std::string(import::file_state_name(check.state));
    line.resize(f.file_uuid.size() + 2 + 7, ' ');
    line += "  " + f.path;
    if (!check.reason.empty()) line += ": " + check.reason;
    std::printf("%s\n", line.c_str());
  }
  std::fprintf(stderr, "%zu file%s checked: %zu ok, %d missing, %d changed%s\n", rows.size(),
               rows.size() == 1 ? "" : "s", rows.size() - static_cast<size_t>(missing + changed), missing, changed,
               missing + changed > 0 ? " (`frameserve file relink UUID PATH` for a moved file; register a "
                                       "replaced one again)"
                                     : "");
  if (missing > 0) return exit_code_for(ErrorKind::gone);
  if (changed > 0) return exit_code_for(ErrorKind::conflict);
  return 0;
}

int relink(CliContext& ctx, const std::string& uuid, const std::string& path) {
  if (Status valid = check_file_uuid(uuid, "UUID"); !valid) return report_error(valid.error());
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  auto relinked = import::relink_file(app.value()->files(), uuid, path);
  if (!relinked) return report_error(relinked.error());
  std::fprintf(stderr, "relinked %s to %s (same size and fingerprint)\n", uuid.c_str(), relinked->c_str());
  return 0;
}

}  // namespace

void add_file_commands(CLI::App& app, CliContext& ctx) {
  CLI::App* group = app.add_subcommand("file", "Register, list, check, relink and remove videos");
  group->require_subcommand(1);

  auto path = std::make_shared<std::string>();
  auto uuid = std::make_shared<std::string>();
  CLI::App* add =
      group->add_subcommand("add", "Register a video (probes it and builds its frame index); prints its file_uuid");
  add->add_option("PATH", *path, "Video file")->required();
  add->add_option("--uuid", *uuid,
                  "Use this file_uuid (32 lowercase hex digits) instead of a new time-ordered one (UUIDv7)");
  auto progress = std::make_shared<std::string>();
  add->add_option("--progress", *progress,
                  "Write key=value progress lines (stage=, frames=, progress=end) to FILE, or -");
  add->callback([&ctx, path, uuid, progress] {
    ctx.action = [&ctx, path, uuid, progress] { return add_file(ctx, *path, *uuid, *progress); };
  });

  auto json = std::make_shared<bool>(false);
  CLI::App* list = group->add_subcommand("list", "List registered videos");
  list->add_flag("--json", *json, "Print JSON");
  list->callback([&ctx, json] { ctx.action = [&ctx, json] { return list_files(ctx, *json); }; });

  auto rm_uuid = std::make_shared<std::string>();
  CLI::App* rm = group->add_subcommand("rm", "Remove a video with its traces and detections (the file on disk stays)");
  rm->add_option("UUID", *rm_uuid, "file_uuid")->required();
  rm->callback([&ctx, rm_uuid] { ctx.action = [&ctx, rm_uuid] { return remove_file(ctx, *rm_uuid); }; });

  auto check_uuids = std::make_shared<std::vector<std::string>>();
  CLI::App* check = group->add_subcommand(
      "check",
      "Check that registered videos are still on disk and unchanged (every one without UUIDs): one line "
      "per file, ok|missing|changed; exit 0 when all are ok, 10 when any is missing, else 6 when any changed");
  check->add_option("UUID", *check_uuids, "file_uuids to check");
  check->callback([&ctx, check_uuids] { ctx.action = [&ctx, check_uuids] { return check_files(ctx, *check_uuids); }; });

  auto relink_uuid = std::make_shared<std::string>();
  auto relink_path = std::make_shared<std::string>();
  CLI::App* relink_cmd = group->add_subcommand(
      "relink",
      "Point a registered video at its new path, after checking the file there is the same (size and "
      "fingerprint)");
  relink_cmd->add_option("UUID", *relink_uuid, "file_uuid")->required();
  relink_cmd->add_option("PATH", *relink_path, "Where the same file is now")->required();
  relink_cmd->callback([&ctx, relink_uuid, relink_path] {
    ctx.action = [&ctx, relink_uuid, relink_path] { return relink(ctx, *relink_uuid, *relink_path); };
  });
}

}  // namespace frameserve::cli
