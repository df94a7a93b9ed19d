#include "media/ffmpeg_argv.hpp"

#include <algorithm>

#include "media/ffmpeg_pieces.hpp"
#include "media/frame_seeker.hpp"

namespace frameserve::media {

namespace {
int jpeg_qscale(int quality) {
  // 100 -> 2 (best), 1 -> 31 (worst): mjpeg's -q:v scale.
  return std::clamp(2 + ((100 - quality) * 29 + 49) / 99, 2, 31);
}
}  // namespace

process::Command build_thumbnail_command(const MediaFile& file, const FrameRequest& r, int extra_keyframes_back) {
  ArgList args = quiet_prefix();
  append_seek_input(args, file, plan_seek(file, r.frame, extra_keyframes_back));
  std::string filters = exact_frame_select(*file.index, r.frame);
  if (r.crop) filters += "," + crop_filter(*r.crop);
  if (r.width || r.height) {
    filters += "," + scale_filter(r.width.value_or(-1), r.height.value_or(-1), r.width && r.height);
  }
  append_args(args, {"-map", "0:V:0", "-an", "-sn", "-dn", "-vf", filters, "-frames:v", "1", "-fps_mode",
                     "passthrough", "-f", "image2pipe"});
  if (r.format == ImageFormat::png) {
    append_args(args, {"-c:v", "png"});
  } else {
    append_args(args, {"-c:v", "mjpeg", "-q:v", std::to_string(jpeg_qscale(r.quality))});
  }
  args.push_back("pipe:1");
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_clip_command(const MediaFile& file, const FrameRange& range, bool audio,
                                    const EncoderSettings& encoder) {
  const FrameIndex& index = *file.index;
  bool with_audio = audio && file.info.has_audio;

  ArgList args = quiet_prefix();
  append_seek_input(args, file, plan_seek(file, range.first));
  append_args(args, {"-map", "0:V:0"});
  if (with_audio) append_args(args, {"-map", "0:a:0"});
  // Frames are picked by their exact timestamps and rebased to start at 0.
  append_args(args, {"-vf", exact_range_select(index, range) + ",setpts=PTS-" + std::to_string(index.pts(range.first))});
  if (with_audio) {
    append_args(args, {"-af", audio_trim_filter(index, range)});
  } else {
    args.push_back("-an");
  }
  append_args(args, {"-sn", "-dn", "-frames:v", std::to_string(range.count()), "-fps_mode", "passthrough"});
  append_args(args, x264_args(encoder));
  if (with_audio) append_args(args, aac_args(encoder));
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
                                              StreamFormat format, const EncoderSettings& encoder) {
  bool with_audio = audio && file.info.has_audio;
  ArgList args = quiet_prefix();
  // The drawn frames: their stream header says all there is to know, so
  // ffmpeg need not buffer frames to probe them.
  append_args(args, {"-probesize", "32", "-analyzeduration", "0", "-f", "matroska", "-i", "pipe:0"});
  if (with_audio) {
    InputOptions audio_input;
    audio_input.audio_only = true;
    append_seek_input(args, file, plan_seek(file, range.first), audio_input);
  }
  append_args(args, {"-map", "0:v:0"});
  if (with_audio) {
    append_args(args, {"-map", "1:a:0", "-af", audio_trim_filter(*file.index, range)});
  } else {
    args.push_back("-an");
  }
  // One GOP is one fragment: keep them short so players start quickly.
  int gop = static_cast<int>(std::clamp<int64_t>(
      file.info.fps.num * 2 / std::max<int64_t>(1, file.info.fps.den), 12, encoder.max_gop_frames));
  append_args(args, {"-sn", "-dn", "-fps_mode", "passthrough"});
  append_args(args, x264_args(encoder));
  append_args(args, {"-g", std::to_string(gop)});
  if (with_audio) append_args(args, aac_args(encoder));
  append_args(args, format == StreamFormat::fragmented_mp4 ? fragmented_mp4_pipe_output(true) : mpegts_pipe_output());
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_copy_range_command(const MediaFile& file, const FrameRange& range, bool audio) {
  const FrameIndex& index = *file.index;
  SeekPlan plan = plan_seek(file, range.first);
  bool with_audio = audio && file.info.has_audio;

  ArgList args = quiet_prefix();
  // No -copyts: the copy's timestamps are rebased by -avoid_negative_ts.
  InputOptions copy_input;
  copy_input.copyts = false;
  append_seek_input(args, file, plan, copy_input);
  append_args(args, {"-map", "0:V:0"});
  if (with_audio) append_args(args, {"-map", "0:a:0"});
  else args.push_back("-an");
  append_args(args, {"-sn", "-dn", "-c", "copy"});
  if (range.last + 1 < index.frame_count()) {
    int64_t duration_ticks = index.end_pts(range.last) - index.pts(plan.keyframe);
    append_args(args, {"-t", seconds_text(duration_ticks, index.time_base())});
  }
  append_args(args, {"-avoid_negative_ts", "make_zero"});
  append_args(args, fragmented_mp4_pipe_output(false));
  return {process::Tool::ffmpeg, std::move(args)};
}

}  // namespace frameserve::media

namespace frameserve::media {

void apply_hls_segment_timing(process::Command& command, const HlsSegmentTiming& timing) {
  auto& args = command.args;
  std::vector<std::string> output_options = {"-output_ts_offset", format_us_as_seconds(timing.output_offset_us),
                                             // Without `disabled`, ffmpeg shifts a stream whose first dts is
                                             // negative (x264's B-frame delay) to zero, which it does for the
                                             // first segment only: that segment would then sit two frames
                                             // later than its successors. MPEG-TS adds its own mux delay, so
                                             // negative timestamps are harmless there.
                                             "-avoid_negative_ts", "disabled",
                                             // No B-frames: a segment's first decode timestamp is then its
                                             // first frame's pts. Players that start their timeline at the
                                             // first dts (hls.js) otherwise showed every frame two frames
                                             // (x264's reorder delay) late after a seek.
                                             "-bf", "0"};
  auto filter = std::find(args.begin(), args.end(), std::string("-af"));
  if (filter != args.end() && std::next(filter) != args.end()) {
    const int64_t frame_us = 1000000LL * k_aac_frame_samples / k_hls_audio_rate;
    int64_t input_start_us = timing.audio_start_us - (timing.preroll ? frame_us : 0);
    *std::next(filter) = "atrim=start=" + format_us_as_seconds(input_start_us) +
                         ":end=" + format_us_as_seconds(timing.audio_end_us) + ",asetpts=PTS-" +
                         format_us_as_seconds(timing.video_start_us) + "/TB";
    // The pre-roll must be in what the audio input decodes: seek its input
    // half a second earlier (decoding from an earlier keyframe changes no
    // frame, which are picked by their pts).
    for (size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] != "-ss") continue;
      auto us = parse_seconds_to_us(args[i + 1]);
      if (us) args[i + 1] = format_us_as_seconds(std::max<int64_t>(0, *us - 500000));
    }
    // Packet 0 is the encoder's priming; with a pre-roll, packet 1 is that.
    std::string dropped = timing.preroll ? "2" : "1";
    output_options.insert(output_options.end(), {"-ar", std::to_string(k_hls_audio_rate), "-bsf:a",
                                                 "noise=drop=lt(n\\," + dropped + ")"});
  }
  // The output options end with "-f FORMAT pipe:1": insert before them.
  auto at = std::find(args.rbegin(), args.rend(), std::string("-f"));
  auto where = at == args.rend() ? args.end() : std::prev(at.base());
  args.insert(where, output_options.begin(), output_options.end());
}

}  // namespace frameserve::media
