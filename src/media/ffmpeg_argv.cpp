#include "media/ffmpeg_argv.hpp"

#include <algorithm>

#include "media/ffmpeg_pieces.hpp"
#include "media/frame_seeker.hpp"

namespace frameserve::media {

process::Command build_thumbnail_command(const MediaFile& file, const FrameRequest& r, int extra_keyframes_back) {
  ArgList args = quiet_prefix();
  append_seek_input(args, file, plan_seek(file, r.frame, extra_keyframes_back));
  std::string filters = exact_frame_select(*file.index, r.frame);
  if (r.crop) filters += "," + crop_filter(*r.crop);
  if (r.width || r.height) {
    filters += "," + scale_filter(r.width.value_or(-1), r.height.value_or(-1), r.width && r.height);
  }
  append_args(args, {"-map", "0:V:0", "-an", "-sn", "-dn", "-vf", filters, "-frames:v", "1", "-fps_mode", "passthrough",
                     "-f", "image2pipe"});
  if (r.format == ImageFormat::png) {
    append_args(args, {"-c:v", "png"});
  } else {
    append_args(args, {"-c:v", "mjpeg", "-q:v", std::to_string(jpeg_qscale(r.quality))});
  }
  args.push_back("pipe:1");
  return {process::Tool::ffmpeg, std::move(args)};
}

namespace {
// JPEG quality of storyboard sheets: tiles are small previews.
constexpr int k_storyboard_quality = 80;

// How long to read from `plan`'s seek point so that `last` is decoded: up
// to the end of that frame (input -t cuts frames by their timestamps).
int64_t read_through_us(const MediaFile& file, const SeekPlan& plan, int64_t last) {
  const FrameIndex& index = *file.index;
  int64_t end_us = ticks_to_us_floor(index.end_pts(last), index.time_base()) - file.info.start_time_us;
  return std::max<int64_t>(1, end_us - plan.seek_us.value_or(0));
}
}  // namespace

process::Command build_storyboard_sheet_command(const MediaFile& file, const StoryboardPlan& plan, size_t sheet) {
  const StoryboardSheet& s = plan.sheets[sheet];
  std::vector<int64_t> frames;
  for (size_t c = 0; c < s.cell_count; ++c) frames.push_back(plan.cells[s.first_cell + c].frame);
  const std::string tile_scale = scale_filter(plan.tile_width, plan.tile_height) + ",setsar=1";
  const std::string packing = tile_filter(s.columns, s.rows);

  // With an open GOP, h264's keyframes-only decoding drops most of the
  // recovery-point keyframes and returns the rest out of order (measured on
  // ffmpeg 5.1 with opengop.ts: 3 of 7, last first): such files take the
  // seeking path below, which shows the same keyframes.
  const auto& keys = file.index->keyframes();
  bool open_gop = std::any_of(keys.begin(), keys.end(), [](const Keyframe& k) { return k.open_gop; });

  ArgList args = quiet_prefix();
  if (!plan.request.exact && !open_gop) {
    append_args(args, keyframes_only_decoding());
    SeekPlan seek = plan_seek(file, frames.front());
    InputOptions input;
    input.read_us = read_through_us(file, seek, frames.back());
    append_seek_input(args, file, seek, input);
    append_args(args, {"-map", "0:V:0", "-an", "-sn", "-dn", "-vf",
                       frames_select(*file.index, frames) + "," + tile_scale + "," + packing});
  } else {
    // Runs of cells: a new input when decoding on from the previous cell
    // would cost more frames than seeking to the next cell's keyframe plus
    // what opening an input costs, about k_input_cost_frames frames
    // (measured on 720p H.264: opening and probing an input took as long as
    // decoding 30-50 frames on one thread). So a sparse storyboard seeks for
    // every tile and a dense one decodes straight through.
    constexpr int64_t k_input_cost_frames = 48;
    std::vector<std::vector<int64_t>> runs;
    for (int64_t frame : frames) {
      bool seek = runs.empty() ||
                  frame - runs.back().back() > frame - file.index->decode_start(frame).frame + k_input_cost_frames;
      if (seek) runs.emplace_back();
      runs.back().push_back(frame);
    }
    std::string graph;
    for (size_t i = 0; i < runs.size(); ++i) {
      SeekPlan seek = plan_seek(file, runs[i].front());
      InputOptions input;
      input.read_us = read_through_us(file, seek, runs[i].back());
      // One decoding thread per input when there are several: up to a
      // hundred inputs are open at once (each decodes a GOP or so), and
      // frame threads would multiply their memory.
      if (runs.size() > 1) append_args(args, {"-threads", "1"});
      append_seek_input(args, file, seek, input);
      graph += "[" + std::to_string(i) + ":V:0]" + frames_select(*file.index, runs[i]) + "," + tile_scale + "[r" +
               std::to_string(i) + "];";
    }
    for (size_t i = 0; i < runs.size(); ++i) graph += "[r" + std::to_string(i) + "]";
    graph += "concat=n=" + std::to_string(runs.size()) + ":v=1:a=0," + packing + "[sheet]";
    append_args(args, {"-filter_complex", graph, "-map", "[sheet]", "-an", "-sn", "-dn"});
  }
  append_args(args, {"-frames:v", "1", "-fps_mode", "passthrough", "-f", "image2pipe", "-c:v", "mjpeg", "-q:v",
                     std::to_string(jpeg_qscale(k_storyboard_quality)), "pipe:1"});
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_clip_command(const MediaFile& file, const FrameRange& range, bool audio,
                                    const EncoderSettings& encoder, const std::optional<HlsSegmentTiming>& hls) {
  const FrameIndex& index = *file.index;
  bool with_audio = audio && file.info.has_audio;

  ArgList args = quiet_prefix();
  // One input for both: a segment's earlier audio seek changes no frame,
  // since frames are picked by their pts.
  SeekPlan seek = plan_seek(file, range.first);
  append_seek_input(args, file, hls && with_audio ? hls_audio_seek(seek) : seek);
  append_args(args, {"-map", "0:V:0"});
  if (with_audio) append_args(args, {"-map", "0:a:0"});
  // Frames are picked by their exact timestamps and rebased to start at 0.
  append_args(args, {"-vf", exact_range_select(index, range) + "," + rebase_pts_filter(index, range, file.info.fps)});
  if (with_audio) {
    append_args(args, {"-af", hls ? hls_audio_filter(*hls) : audio_trim_filter(index, range)});
  } else {
    args.push_back("-an");
  }
  append_args(args, {"-sn", "-dn", "-frames:v", std::to_string(range.count()), "-fps_mode", "passthrough"});
  append_args(args, x264_args(encoder));
  if (with_audio) append_args(args, aac_args(encoder));
  if (hls) append_args(args, hls_segment_output(*hls, with_audio));
  append_args(args, mpegts_pipe_output());
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_raw_decode_command(const MediaFile& file, const FrameRange& range) {
  ArgList args = quiet_prefix();
  append_seek_input(args, file, plan_seek(file, range.first));
  append_args(args, {"-map", "0:V:0", "-an", "-sn", "-dn", "-vf", exact_range_select(*file.index, range), "-frames:v",
                     std::to_string(range.count()), "-fps_mode", "passthrough", "-pix_fmt", "yuv420p",
                     // Whole-megabyte writes instead of ffmpeg's 32 KB: fewer wake-ups per frame.
                     "-blocksize", "1048576", "-f", "rawvideo", "pipe:1"});
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_overlay_encode_command(const MediaFile& file, const FrameRange& range, bool audio,
                                              StreamFormat format, const EncoderSettings& encoder,
                                              const std::optional<HlsSegmentTiming>& hls) {
  bool with_audio = audio && file.info.has_audio;
  ArgList args = quiet_prefix();
  // The drawn frames: their stream header says all there is to know, so
  // ffmpeg need not buffer frames to probe them.
  append_args(args, {"-probesize", "32", "-analyzeduration", "0", "-f", "matroska", "-i", "pipe:0"});
  if (with_audio) {
    InputOptions audio_input;
    audio_input.audio_only = true;
    SeekPlan seek = plan_seek(file, range.first);
    append_seek_input(args, file, hls ? hls_audio_seek(seek) : seek, audio_input);
  }
  append_args(args, {"-map", "0:v:0"});
  if (with_audio) {
    append_args(args, {"-map", "1:a:0", "-af", hls ? hls_audio_filter(*hls) : audio_trim_filter(*file.index, range)});
  } else {
    args.push_back("-an");
  }
  // One GOP is one fragment: keep them short so players start quickly.
  int gop = static_cast<int>(
      std::clamp<int64_t>(file.info.fps.num * 2 / std::max<int64_t>(1, file.info.fps.den), 12, encoder.max_gop_frames));
  append_args(args, {"-sn", "-dn", "-fps_mode", "passthrough"});
  append_args(args, x264_args(encoder));
  append_args(args, {"-g", std::to_string(gop)});
  if (with_audio) append_args(args, aac_args(encoder));
  if (hls) append_args(args, hls_segment_output(*hls, with_audio));
  append_args(args, format == StreamFormat::fragmented_mp4 ? fragmented_mp4_pipe_output(true) : mpegts_pipe_output());
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_copy_range_command(const MediaFile& file, const FrameRange& range, bool audio) {
  const FrameIndex& index = *file.index;
  SeekPlan plan = plan_seek(file, range.first);
  bool with_audio = audio && file.info.has_audio;

  ArgList args = quiet_prefix();
  // No -copyts: the copy's timestamps start at the seek point (0 for a copy
  // from the start).
  InputOptions copy_input;
  copy_input.copyts = false;
  append_seek_input(args, file, plan, copy_input);
  append_args(args, {"-map", "0:V:0"});
  if (with_audio)
    append_args(args, {"-map", "0:a:0"});
  else
    args.push_back("-an");
  append_args(args, {"-sn", "-dn", "-c", "copy"});
  if (range.last + 1 < index.frame_count()) {
    int64_t duration_ticks = index.end_pts(range.last) - index.pts(plan.keyframe);
    append_args(args, {"-t", seconds_text(duration_ticks, index.time_base())});
  }
  // Negative timestamps stay: the first video packets decode before 0 (a
  // B-frame source's reorder delay) and the audio starts before the picture
  // (AAC's priming, or packets before a mid-file keyframe), and delay_moov's
  // edit lists start each track at its presentation time 0. `make_zero`
  // shifted both tracks later instead, which the muxer wrote as an empty
  // edit before the video and none for the audio's priming: libavformat
  // honours that, but Chromium's MSE ignores empty edits and played the
  // sound 45 ms early (copy from frame 0) or 17 ms late (mid-file).
  append_args(args, {"-avoid_negative_ts", "disabled"});
  append_args(args, fragmented_mp4_pipe_output(false));
  return {process::Tool::ffmpeg, std::move(args)};
}

}  // namespace frameserve::media
