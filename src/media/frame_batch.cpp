#include "media/frame_batch.hpp"

#include <algorithm>

#include "media/ffmpeg_pieces.hpp"
#include "media/frame_seeker.hpp"

namespace frameserve::media {

namespace {
// Opening and probing an input costs about as much as decoding this many
// frames (measured for storyboards on 720p H.264; see ffmpeg_argv.cpp).
constexpr int64_t k_input_cost_frames = 48;

// `select` of the run's frames among what its input decodes.
std::string run_select(const FrameIndex& index, const std::vector<int64_t>& run) {
  if (index.indexing() == Indexing::decode_order) {
    // Every frame from the run's first on, cut after its last, then the
    // wanted ones among them by their count (n starts at the first).
    int64_t first = run.front();
    std::string graph = exact_range_select(index, FrameRange{first, run.back()}) +
                        ",trim=end_frame=" + std::to_string(run.back() - first + 1);
    if (static_cast<int64_t>(run.size()) == run.back() - first + 1) return graph;
    std::string pick;
    for (int64_t frame : run)
      pick += (pick.empty() ? "" : "+") + std::string("eq(n\\,") + std::to_string(frame - first) + ")";
    return graph + ",select=" + pick;
  }
  // Consecutive frames as one between(): the expression stays short.
  std::string expression;
  for (size_t i = 0; i < run.size();) {
    size_t j = i;
    while (j + 1 < run.size() && run[j + 1] == run[j] + 1) ++j;
    if (!expression.empty()) expression += "+";
    if (i == j)
      expression += "eq(pts\\," + std::to_string(index.pts(run[i])) + ")";
    else
      expression +=
          "between(pts\\," + std::to_string(index.pts(run[i])) + "\\," + std::to_string(index.pts(run[j])) + ")";
    i = j + 1;
  }
  return "select=" + expression;
}

// How long to read from `plan`'s seek point so that `last` is decoded.
int64_t read_through_us(const MediaFile& file, const SeekPlan& plan, int64_t last) {
  const FrameIndex& index = *file.index;
  int64_t end_us = ticks_to_us_floor(index.end_pts(last), index.time_base()) - file.info.start_time_us;
  return std::max<int64_t>(1, end_us - plan.seek_us.value_or(0));
}
}  // namespace

const char* batch_extension(BatchFormat format) {
  switch (format) {
    case BatchFormat::png: return "png";
    case BatchFormat::jpeg: return "jpg";
    case BatchFormat::raw: return "rgb";
  }
  return "png";
}

std::pair<int64_t, int64_t> batch_output_size(const BatchItem& item, const BatchOutput& output) {
  if (output.width && output.height) return {*output.width, *output.height};
  return {item.crop.width, item.crop.height};
}

Status validate_batch_item(const BatchItem& item, const MediaInfo& info, const std::string& where) {
  FrameRequest r;
  r.frame = item.frame;
  r.crop = item.crop;
  if (Status valid = validate_frame_request(r, info); !valid) {
    Error e = valid.error();
    e.message = where + ": " + e.message;
    return e;
  }
  return Status();
}

Status validate_batch_output(const BatchOutput& output) {
  const std::string max_side = std::to_string(k_max_image_side);
  if (output.width.has_value() != output.height.has_value()) {
    return invalid_argument("bad_size", "size must be [width, height], both given");
  }
  for (const auto& value : {output.width, output.height}) {
    if (value && (*value < 1 || *value > k_max_image_side)) {
      return invalid_argument("bad_size", "size's width and height must be between 1 and " + max_side + " pixels");
    }
  }
  if (output.quality < 1 || output.quality > 100) {
    return invalid_argument("bad_quality", "quality must be between 1 and 100");
  }
  return Status();
}

std::vector<std::vector<int64_t>> plan_decode_runs(const MediaFile& file, const std::vector<int64_t>& frames) {
  std::vector<std::vector<int64_t>> runs;
  for (int64_t frame : frames) {
    bool seek = runs.empty() ||
                frame - runs.back().back() > frame - file.index->decode_start(frame).frame + k_input_cost_frames;
    if (seek) runs.emplace_back();
    runs.back().push_back(frame);
  }
  return runs;
}

process::Command build_batch_decode_command(const MediaFile& file, const std::vector<std::vector<int64_t>>& runs,
                                            bool deep_png) {
  const FrameIndex& index = *file.index;
  ArgList args = quiet_prefix();
  std::string graph;
  for (size_t i = 0; i < runs.size(); ++i) {
    SeekPlan seek = plan_seek(file, runs[i].front());
    InputOptions input;
    // decode_order files: trim ends the run (their pts are not the
    // demuxer's); the others stop reading after the run's last frame.
    if (index.indexing() == Indexing::timestamps) input.read_us = read_through_us(file, seek, runs[i].back());
    // One decoding thread per input when there are several (as storyboards).
    if (runs.size() > 1) append_args(args, {"-threads", "1"});
    append_seek_input(args, file, seek, input);
    graph += "[" + std::to_string(i) + ":V:0]" + run_select(index, runs[i]) + "[r" + std::to_string(i) + "];";
  }
  for (size_t i = 0; i < runs.size(); ++i) graph += "[r" + std::to_string(i) + "]";
  if (runs.size() > 1)
    graph += "concat=n=" + std::to_string(runs.size()) + ":v=1:a=0,";
  else
    graph += "null,";
  // Conversion after the selection: no unrequested frame is converted.
  graph += deep_png ? "format=pix_fmts=rgb24|rgb48be[out]" : "format=pix_fmts=rgb24[out]";
  append_args(args, {"-filter_complex", graph, "-map", "[out]", "-an", "-sn", "-dn", "-fps_mode", "passthrough", "-f",
                     "image2pipe", "-c:v", "pam", "pipe:1"});
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_batch_encode_command(const BatchOutput& output) {
  ArgList args = quiet_prefix();
  append_args(args, {"-f", "ppm_pipe", "-i", "pipe:0"});
  if (output.width && output.height) {
    std::string w = std::to_string(*output.width);
    std::string h = std::to_string(*output.height);
    std::string filters;
    switch (output.fit) {
      case Fit::stretch: filters = scale_filter(*output.width, *output.height); break;
      case Fit::pad:
        filters = scale_filter(*output.width, *output.height, true) + ",pad=" + w + ":" + h + ":(ow-iw)/2:(oh-ih)/2";
        break;
      case Fit::crop:
        filters = "scale=" + w + ":" + h + ":force_original_aspect_ratio=increase,crop=" + w + ":" + h;
        break;
    }
    append_args(args, {"-vf", filters + ",setsar=1"});
  }
  // One thread: the encoder then returns each image before the next
  // arrives, so images leave in step with the crops.
  append_args(args, {"-threads", "1", "-fps_mode", "passthrough", "-flush_packets", "1"});
  switch (output.format) {
    case BatchFormat::png: append_args(args, {"-f", "image2pipe", "-c:v", "png"}); break;
    case BatchFormat::jpeg:
      append_args(args, {"-f", "image2pipe", "-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v",
                         std::to_string(jpeg_qscale(output.quality))});
      break;
    case BatchFormat::raw: append_args(args, {"-f", "rawvideo", "-pix_fmt", "rgb24"}); break;
  }
  args.push_back("pipe:1");
  return {process::Tool::ffmpeg, std::move(args)};
}

}  // namespace frameserve::media
