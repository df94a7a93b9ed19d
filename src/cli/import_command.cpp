// frameserve import UUID PATH — loads detections (jsonl or MOT CSV).

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/cli_context.hpp"
#include "cli/progress_reporter.hpp"
#include "common/file_uuid.hpp"
#include "common/text.hpp"
#include "db/detection_writer.hpp"
#include "import/detection_importer.hpp"

namespace frameserve::cli {

namespace {

struct ImportArgs {
  std::string uuid;
  std::string path;
  std::string format = "jsonl";
  std::string label = "face";
  bool replace = false;
  int frame_base = 1;
  std::string progress;  // --progress FILE|-
};

int run_import(CliContext& ctx, const ImportArgs& args) {
  if (Status valid = check_file_uuid(args.uuid, "UUID"); !valid) return report_error(valid.error());
  auto format = import::parse_import_format(args.format);
  if (!format) return report_error(invalid_argument("bad_format", "--format must be jsonl or mot"));
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  auto file = app.value()->files().find(args.uuid);
  if (!file) return report_error(file.error());

  std::ifstream file_stream;
  std::istream* input = &std::cin;
  if (args.path != "-") {
    file_stream.open(args.path);
    if (!file_stream)
      return report_error(invalid_argument("unreadable_file", "cannot open " + quote_for_message(args.path)));
    input = &file_stream;
  }

  import::ImportOptions options;
  options.format = *format;
  options.replace = args.replace;
  options.default_label = args.label;
  options.frame_base = args.frame_base;
  auto reporter = ProgressReporter::open(args.progress, stderr_is_terminal());
  if (!reporter) return report_error(reporter.error());
  ProgressReporter* progress = reporter.value().get();
  options.progress = [progress](const char* stage, const char* unit, int64_t done, int64_t total) {
    progress->update(stage, unit, done, total);
  };
  auto start = std::chrono::steady_clock::now();
  auto summary = import::import_detections(app.value()->database(), file.value(), *input, options);
  progress->finish();
  if (!summary) {
    Error e = summary.error();
    if (e.code == db::k_traces_exist) e.message += "; use --replace to replace the file's detections";
    return report_error(e);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("imported %lld detections in %lld traces (%lld identities) into %s in %.2f s\n",
              static_cast<long long>(summary->detections), static_cast<long long>(summary->traces),
              static_cast<long long>(summary->identities), args.uuid.c_str(), seconds);
  return 0;
}

}  // namespace

void add_import_command(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand("import", "Import detections for a registered video, all or nothing");
  cmd->add_option("UUID", args->uuid, "file_uuid")->required();
  cmd->add_option("PATH", args->path, "Detection file, or - for stdin")->required();
  cmd->add_option("--format", args->format, "jsonl (API field names) or mot (MOTChallenge CSV, 1-based frames)")
      ->check(CLI::IsMember({"jsonl", "mot"}))
      ->capture_default_str();
  cmd->add_option("--label", args->label, "Label of traces whose lines carry none")->capture_default_str();
  cmd->add_option("--frame-base", args->frame_base,
                  "mot: the number of the video's first frame in the file (1 as in MOTChallenge, or 0)")
      ->check(CLI::IsMember({0, 1}))
      ->capture_default_str();
  cmd->add_option("--progress", args->progress,
                  "Write key=value progress lines (stage=, lines=/detections=, total_detections=, speed=, "
                  "progress=continue|end) to FILE, or - for stdout");
  cmd->add_flag("--replace", args->replace, "Replace all of the file's existing traces and detections");
  cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return run_import(ctx, *args); }; });
}

}  // namespace frameserve::cli
