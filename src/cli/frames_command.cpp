// frameserve frames and frameserve faces — the CLI twins of GET
// .../identities/:identity_uuid/faces.tar and of POST /api/v1/file/:file_uuid/frames:
// its flags become the same JSON request, parsed, planned and streamed by
// the same functions (frames/), so the answer is the same tar. `-o DIR`
// (an existing directory) unpacks the members there instead.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <optional>

#include "cli/cli_context.hpp"
#include "cli/media_source.hpp"
#include "cli/progress_reporter.hpp"
#include "common/json_writer.hpp"
#include "common/tar_writer.hpp"
#include "common/text.hpp"
#include "frames/frames_service.hpp"
#include "process/byte_sink.hpp"

namespace frameserve::cli {

namespace {

struct FramesArgs {
  std::string source;
  std::string frames;  // "1,5,9"
  std::optional<int64_t> trace;
  std::string identity;
  std::optional<int64_t> step;
  std::string crop;  // detection | x,y,w,h
  std::optional<double> margin;
  bool square = false;
  std::string size;  // WxH
  std::string fit;
  std::string format = "png";
  std::optional<int64_t> quality;
  std::string output;
  std::string progress;
};

struct FacesArgs {
  std::string uuid;
  std::string identity;
  int64_t per_trace = 5;
  int64_t size = 112;
  double margin = 0.2;
  std::string format = "png";
  std::string output;
  std::string progress;
};

// The request body the flags stand for. Errors: `invalid_argument` for a
// list, crop or size that is not numbers.
Result<std::string> request_json(const FramesArgs& a) {
  JsonWriter j;
  j.begin_object();
  if (!a.frames.empty()) {
    j.key("frames").begin_array();
    for (std::string_view part : split(a.frames, ',')) {
      auto n = parse_int64(trim(part));
      if (!n) return invalid_argument("bad_frames_request", "--frames takes frame numbers separated by commas");
      j.integer(*n);
    }
    j.end_array();
  }
  if (a.trace) j.field("trace_id", *a.trace);
  if (!a.identity.empty()) j.field("identity_uuid", a.identity);
  if (a.step) j.field("step", *a.step);
  if (a.crop == "detection") {
    j.field("crop", "detection");
  } else if (!a.crop.empty()) {
    std::vector<std::string_view> parts = split(a.crop, ',');
    if (parts.size() != 4) return invalid_argument("bad_crop", "--crop takes detection or x,y,w,h");
    j.key("crop").begin_object();
    const char* names[] = {"x", "y", "w", "h"};
    for (size_t i = 0; i < 4; ++i) {
      auto v = parse_int64(trim(parts[i]));
      if (!v) return invalid_argument("bad_crop", "--crop takes four whole numbers x,y,w,h");
      j.field(names[i], *v);
    }
    j.end_object();
  }
  if (a.margin) j.field("margin", *a.margin);
  if (a.square) j.field("square", true);
  if (!a.size.empty()) {
    size_t x = a.size.find('x');
    auto w = parse_int64(a.size.substr(0, x));
    auto h = x == std::string::npos ? std::nullopt : parse_int64(a.size.substr(x + 1));
    if (!w || !h) return invalid_argument("bad_size", "--size takes WxH, e.g. 112x112");
    j.key("size").begin_array().integer(*w).integer(*h).end_array();
  }
  if (!a.fit.empty()) j.field("fit", a.fit);
  j.field("format", a.format);
  if (a.quality) j.field("quality", *a.quality);
  j.end_object();
  return j.str();
}

// Unpacks a tar stream into a directory as it arrives.
class DirectorySink : public process::ByteSink {
 public:
  explicit DirectorySink(std::string dir) : m_dir(std::move(dir)) {}
  ~DirectorySink() override {
    if (m_fd >= 0) ::close(m_fd);
  }
  bool write(const char* data, size_t size) override {
    m_buffer.append(data, size);
    while (true) {
      if (m_left == 0 && m_pad == 0) {
        if (m_fd >= 0) {
          ::close(m_fd);
          m_fd = -1;
        }
        if (m_buffer.size() < tar::k_block) return true;
        std::string header = m_buffer.substr(0, tar::k_block);
        m_buffer.erase(0, tar::k_block);
        if (header[0] == '\0') continue;  // the end blocks
        std::string name(header.c_str(), strnlen(header.c_str(), 100));
        m_left = std::strtoull(header.substr(124, 12).c_str(), nullptr, 8);
        m_pad = (tar::k_block - m_left % tar::k_block) % tar::k_block;
        if (name.find('/') != std::string::npos) return false;  // ours never has one
        m_fd = ::open((m_dir + "/" + name).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (m_fd < 0) return false;
      }
      if (m_buffer.empty()) return true;
      if (m_left > 0) {
        size_t n = std::min<size_t>(m_left, m_buffer.size());
        process::FdSink out(m_fd);
        if (!out.write(m_buffer.data(), n)) return false;
        m_buffer.erase(0, n);
        m_left -= n;
      } else {
        size_t n = std::min<size_t>(m_pad, m_buffer.size());
        m_buffer.erase(0, n);
        m_pad -= n;
      }
    }
  }

 private:
  std::string m_dir;
  std::string m_buffer;
  uint64_t m_left = 0;
  uint64_t m_pad = 0;
  int m_fd = -1;
};

// Resolves SRC: a registered file_uuid (checked on disk) or a video path.
Result<db::ResolvedFile> resolve_source(CliContext& ctx, app::AppContext& app, const std::string& source) {
  db::ResolvedFile file;
  struct stat source_stat {};
  if (::stat(source.c_str(), &source_stat) != 0 && is_file_uuid(source)) return resolve_registered_media(app, source);
  auto media = resolve_media_source(ctx, source);
  if (!media) return media.error();
  file.media = media.value();
  return file;
}

// Streams `plan` to `output` (a tar file, "-", or an existing directory to
// unpack into), with progress on a terminal; returns the exit code.
int write_batch(const frames::FramesService& service, const db::ResolvedFile& file, frames::FrameBatchPlan plan,
                const std::string& output, const std::string& progress_to) {
  const int64_t total = static_cast<int64_t>(plan.images.size());
  if (progress_to == "-" && output == "-") {
    return report_error(invalid_argument("bad_progress", "--progress - and -o - cannot both be stdout"));
  }
  auto progress = ProgressReporter::open(progress_to, stderr_is_terminal());
  if (!progress) return report_error(progress.error());
  auto stream = service.start(file, std::move(plan));
  if (!stream) return report_error(stream.error());
  struct stat st {};
  bool directory = output != "-" && ::stat(output.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  auto on_images = [&](int64_t done) { progress.value()->update("frames", "images", done, total); };
  process::StreamOutcome outcome;
  std::optional<OutputTarget> out;
  if (directory) {
    DirectorySink sink(output);
    outcome = stream.value()->pump(sink, on_images);
  } else {
    auto target = OutputTarget::open(output);
    if (!target) return report_error(target.error());
    out.emplace(std::move(target.value()));
    process::FdSink sink(out->fd());
    outcome = stream.value()->pump(sink, on_images);
  }
  progress.value()->finish();
  if (!outcome.completed()) {
    return report_error(outcome.end == process::StreamOutcome::End::client_gone
                            ? internal_error("writing the frames failed")
                            : tool_failed("the frame batch " + outcome.describe()));
  }
  if (out) {
    if (Status committed = out->commit(); !committed) return report_error(committed.error());
  }
  std::fprintf(stderr, "wrote %lld images\n", static_cast<long long>(total));
  return 0;
}

int run_frames(CliContext& ctx, const FramesArgs& args) {
  auto body = request_json(args);
  if (!body) return report_error(body.error());
  auto request = frames::parse_frames_request_json(body.value());
  if (!request) return report_error(request.error());
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  auto file = resolve_source(ctx, *app.value(), args.source);
  if (!file) return report_error(file.error());
  const frames::FramesService& service = app.value()->frames();
  auto plan = service.plan(file.value(), request.value());
  if (!plan) return report_error(plan.error());
  return write_batch(service, file.value(), std::move(plan.value()), args.output, args.progress);
}

int run_faces(CliContext& ctx, const FacesArgs& args) {
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  auto file = resolve_registered_media(*app.value(), args.uuid);
  if (!file) return report_error(file.error());
  const frames::FramesService& service = app.value()->frames();
  media::BatchFormat format = args.format == "png"   ? media::BatchFormat::png
                              : args.format == "raw" ? media::BatchFormat::raw
                                                     : media::BatchFormat::jpeg;
  auto plan = service.plan_identity_faces(file.value(), args.identity, args.per_trace, args.size, args.margin, format);
  if (!plan) return report_error(plan.error());
  return write_batch(service, file.value(), std::move(plan.value()), args.output, args.progress);
}
}  // namespace

void add_frames_command(CLI::App& app, CliContext& ctx) {
  auto a = std::make_shared<FramesArgs>();
  CLI::App* cmd =
      app.add_subcommand("frames", "Write many exact frames, cropped and resized, as a tar (like POST .../frames)");
  cmd->add_option("SRC", a->source, "A registered file_uuid or a path to a video")->required();
  cmd->add_option("--frames", a->frames, "Frame numbers, e.g. 0,10,20 (any order, repeats allowed)");
  whole_number_option(cmd->add_option("--trace", a->trace,
                                      "Every frame of this trace_id (or, with --frames, "
                                      "whose detections --crop detection uses)"),
                      0, INT64_MAX);
  cmd->add_option("--identity", a->identity, "Every frame of this identity_uuid's traces");
  whole_number_option(cmd->add_option("--step", a->step, "Every K-th detection of --trace or --identity"), 1, 1000000);
  cmd->add_option("--crop", a->crop, "detection (the detection's box) or X,Y,W,H in pixels");
  decimal_number_option(
      cmd->add_option("--margin", a->margin, "With --crop detection: grow the box by this fraction (0.2)"), 0, 10);
  cmd->add_flag("--square", a->square, "With --crop detection: a square around the box's centre");
  cmd->add_option("--size", a->size, "Resize to WxH, e.g. 112x112");
  cmd->add_option("--fit", a->fit, "With --size: stretch, pad or crop")
      ->check(CLI::IsMember({"stretch", "pad", "crop"}));
  cmd->add_option("--format", a->format, "png (lossless), jpeg or raw (packed RGB24)")
      ->check(CLI::IsMember({"png", "jpeg", "raw"}))
      ->capture_default_str();
  whole_number_option(cmd->add_option("--quality", a->quality, "JPEG quality 1-100"), 1, 100);
  cmd->add_option("-o,--output", a->output, "Output tar, an existing directory to unpack into, or - for stdout")
      ->required();
  cmd->add_option("--progress", a->progress, "Write key=value progress blocks to FILE, or - for stdout");
  cmd->callback([&ctx, a] { ctx.action = [&ctx, a] { return run_frames(ctx, *a); }; });

  auto f = std::make_shared<FacesArgs>();
  CLI::App* faces = app.add_subcommand(
      "faces",
      "Write the sharpest faces of each of an identity's traces as a tar (like GET .../identities/ID/faces.tar)");
  faces->add_option("UUID", f->uuid, "A registered file_uuid")->required();
  faces->add_option("--identity", f->identity, "identity_uuid")->required();
  whole_number_option(faces->add_option("--per-trace", f->per_trace, "Faces per trace, the sharpest first"), 1, 100)
      ->capture_default_str();
  whole_number_option(faces->add_option("--size", f->size, "Side of the square images in pixels"), 1,
                      media::k_max_image_side)
      ->capture_default_str();
  decimal_number_option(faces->add_option("--margin", f->margin, "Grow each box by this fraction"), 0, 10)
      ->capture_default_str();
  faces->add_option("--format", f->format, "png, jpeg or raw")
      ->check(CLI::IsMember({"png", "jpeg", "raw"}))
      ->capture_default_str();
  faces->add_option("-o,--output", f->output, "Output tar, an existing directory, or - for stdout")->required();
  faces->add_option("--progress", f->progress, "Write key=value progress blocks to FILE, or - for stdout");
  faces->callback([&ctx, f] { ctx.action = [&ctx, f] { return run_faces(ctx, *f); }; });
}

}  // namespace frameserve::cli
