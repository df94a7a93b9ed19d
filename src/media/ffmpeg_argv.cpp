#include "media/ffmpeg_argv.hpp"

#include <algorithm>

#include "media/frame_seeker.hpp"
#include "media/probe.hpp"

namespace frameserve::media {

namespace {
using Args = std::vector<std::string>;

Args quiet_prefix() { return {"-nostdin", "-hide_banner", "-nostats", "-loglevel", "error"}; }

void append(Args& args, std::initializer_list<std::string> more) { args.insert(args.end(), more); }

// -ss (when decoding does not start at the beginning), -copyts, -i.
void append_exact_input(Args& args, const MediaFile& file, int64_t frame, int extra_back) {
  SeekPlan plan = plan_seek(file, frame, extra_back);
  if (plan.seek_us) append(args, {"-ss", format_us_as_seconds(*plan.seek_us)});
  append(args, {"-copyts", "-i", ffmpeg_input_url(file.path)});
}

// Picks exactly frames [first, last] by their timestamps from the index.
std::string exact_range_select(const FrameIndex& index, const FrameRange& range) {
  return "select=between(pts\\," + std::to_string(index.pts(range.first)) + "\\," +
         std::to_string(index.pts(range.last)) + ")";
}

// Fragmented MP4 on stdout: the one muxing every MP4 stream uses, re-encoded
// or copied. ffmpeg 5.1 writes no edit list with a bare `empty_moov`, so the
// video's composition delay (x264's B-frame reorder, or a copied source's)
// and AAC's 1024-sample priming stay in the stream: the muxer stretches the
// priming sample over the difference, which timestamps honour but players
// that play audio back to back (Chromium's MSE, any PCM sink) do not — the
// sound came 45 ms early at 29.97 fps with -bf 3. `delay_moov` holds the
// header back until the first fragment is cut and writes an edit list from
// the real first timestamps, which cancels both.
//
// `encoding`: the caller encodes the video, so it forces one keyframe at
// 0.1 s; the first fragment, and with it the header, is then cut after a
// few frames instead of a whole GOP, and the first bytes come about as early
// as with `empty_moov` alone. Not on frame 1: the header waits until every
// track holds a sample, and a cut there came before the first AAC packet
// (x264's first packets are timed at -67 and -33 ms, AAC's at -21 ms), so
// it waited a whole GOP (measured: 450 ms later than today). A stream copy
// cuts at the source's second keyframe, which reading (not encoding) reaches
// at once. Appends only; cannot fail.
void append_fragmented_mp4_output(Args& args, bool encoding) {
  if (encoding) append(args, {"-force_key_frames", "expr:eq(n_forced,0)*gte(t,0.1)"});
  append(args, {"-movflags", "frag_keyframe+empty_moov+default_base_moof+delay_moov", "-flush_packets", "1", "-f",
                "mp4", "pipe:1"});
}

int jpeg_qscale(int quality) {
  // 100 -> 2 (best), 1 -> 31 (worst): mjpeg's -q:v scale.
  return std::clamp(2 + ((100 - quality) * 29 + 49) / 99, 2, 31);
}
}  // namespace

std::string seconds_text(int64_t ticks, Rational time_base) {
  return format_us_as_seconds(ticks_to_us_floor(ticks, time_base));
}

process::Command build_thumbnail_command(const MediaFile& file, const FrameRequest& r, int extra_keyframes_back) {
  Args args = quiet_prefix();
  append_exact_input(args, file, r.frame, extra_keyframes_back);
  std::string filters = "select=eq(pts\\," + std::to_string(file.index->pts(r.frame)) + ")";
  if (r.crop) {
    filters += ",crop=" + std::to_string(r.crop->width) + ":" + std::to_string(r.crop->height) + ":" +
               std::to_string(r.crop->x) + ":" + std::to_string(r.crop->y) + ":exact=1";
  }
  if (r.width || r.height) {
    filters += ",scale=" + std::to_string(r.width.value_or(-1)) + ":" + std::to_string(r.height.value_or(-1));
    if (r.width && r.height) filters += ":force_original_aspect_ratio=decrease";
  }
  append(args, {"-map", "0:V:0", "-an", "-sn", "-dn", "-vf", filters, "-frames:v", "1", "-fps_mode", "passthrough",
                "-f", "image2pipe"});
  if (r.format == ImageFormat::png) {
    append(args, {"-c:v", "png"});
  } else {
    append(args, {"-c:v", "mjpeg", "-q:v", std::to_string(jpeg_qscale(r.quality))});
  }
  args.push_back("pipe:1");
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_clip_command(const MediaFile& file, const FrameRange& range, bool audio,
                                    const EncoderSettings& encoder) {
  const FrameIndex& index = *file.index;
  Rational tb = index.time_base();
  int64_t first_pts = index.pts(range.first);
  bool with_audio = audio && file.info.has_audio;

  Args args = quiet_prefix();
  append_exact_input(args, file, range.first, 0);
  append(args, {"-map", "0:V:0"});
  if (with_audio) append(args, {"-map", "0:a:0"});
  // Frames are picked by their exact timestamps and rebased to start at 0.
  append(args, {"-vf", exact_range_select(index, range) + ",setpts=PTS-" + std::to_string(first_pts)});
  if (with_audio) {
    // The audio of the same span: from the first frame's time to the end of
    // the last frame, rebased by the same offset.
    std::string start = seconds_text(first_pts, tb);
    std::string end = seconds_text(index.end_pts(range.last), tb);
    append(args, {"-af", "atrim=start=" + start + ":end=" + end + ",asetpts=PTS-" + start + "/TB"});
  } else {
    args.push_back("-an");
  }
  append(args, {"-sn", "-dn", "-frames:v", std::to_string(range.count()), "-fps_mode", "passthrough",
                "-c:v", "libx264", "-preset", encoder.x264_preset, "-crf", std::to_string(encoder.crf),
                "-pix_fmt", "yuv420p"});
  if (with_audio) append(args, {"-c:a", "aac", "-b:a", std::to_string(encoder.audio_bitrate_kbps) + "k"});
  // Packets leave as soon as they are muxed: the first bytes reach the
  // client while the rest is still being encoded.
  append(args, {"-flush_packets", "1", "-f", "mpegts", "pipe:1"});
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_raw_decode_command(const MediaFile& file, const FrameRange& range) {
  const FrameIndex& index = *file.index;
  Args args = quiet_prefix();
  append_exact_input(args, file, range.first, 0);
  append(args, {"-map", "0:V:0", "-an", "-sn", "-dn", "-vf", exact_range_select(index, range), "-frames:v",
                std::to_string(range.count()), "-fps_mode", "passthrough", "-pix_fmt", "yuv420p",
                // Whole-megabyte writes instead of ffmpeg's 32 KB: fewer wake-ups per frame.
                "-blocksize", "1048576", "-f", "rawvideo", "pipe:1"});
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_overlay_encode_command(const MediaFile& file, const FrameRange& range, bool audio,
                                              StreamFormat format, const EncoderSettings& encoder) {
  const FrameIndex& index = *file.index;
  bool with_audio = audio && file.info.has_audio;
  Args args = quiet_prefix();
  // The drawn frames: their stream header says all there is to know, so
  // ffmpeg need not buffer frames to probe them.
  append(args, {"-probesize", "32", "-analyzeduration", "0", "-f", "matroska", "-i", "pipe:0"});
  if (with_audio) {
    SeekPlan plan = plan_seek(file, range.first, 0);
    if (plan.seek_us) append(args, {"-ss", format_us_as_seconds(*plan.seek_us)});
    append(args, {"-copyts", "-vn", "-i", ffmpeg_input_url(file.path)});
  }
  append(args, {"-map", "0:v:0"});
  if (with_audio) {
    std::string start = seconds_text(index.pts(range.first), index.time_base());
    std::string end = seconds_text(index.end_pts(range.last), index.time_base());
    append(args, {"-map", "1:a:0", "-af", "atrim=start=" + start + ":end=" + end + ",asetpts=PTS-" + start + "/TB"});
  } else {
    args.push_back("-an");
  }
  // One GOP is one fragment: keep them short so players start quickly.
  int gop = static_cast<int>(std::clamp<int64_t>(
      file.info.fps.num * 2 / std::max<int64_t>(1, file.info.fps.den), 12, encoder.max_gop_frames));
  append(args, {"-sn", "-dn", "-fps_mode", "passthrough", "-c:v", "libx264", "-preset", encoder.x264_preset, "-crf",
                std::to_string(encoder.crf), "-pix_fmt", "yuv420p", "-g", std::to_string(gop)});
  if (with_audio) append(args, {"-c:a", "aac", "-b:a", std::to_string(encoder.audio_bitrate_kbps) + "k"});
  if (format == StreamFormat::fragmented_mp4) {
    append_fragmented_mp4_output(args, true);
  } else {
    append(args, {"-flush_packets", "1", "-f", "mpegts", "pipe:1"});
  }
  return {process::Tool::ffmpeg, std::move(args)};
}

process::Command build_copy_range_command(const MediaFile& file, const FrameRange& range, bool audio) {
  const FrameIndex& index = *file.index;
  Rational tb = index.time_base();
  SeekPlan plan = plan_seek(file, range.first, 0);
  bool with_audio = audio && file.info.has_audio;

  Args args = quiet_prefix();
  if (plan.seek_us) append(args, {"-ss", format_us_as_seconds(*plan.seek_us)});
  append(args, {"-i", ffmpeg_input_url(file.path), "-map", "0:V:0"});
  if (with_audio) append(args, {"-map", "0:a:0"});
  else args.push_back("-an");
  append(args, {"-sn", "-dn", "-c", "copy"});
  if (range.last + 1 < index.frame_count()) {
    int64_t duration_ticks = index.end_pts(range.last) - index.pts(plan.keyframe);
    append(args, {"-t", seconds_text(duration_ticks, tb)});
  }
  args.insert(args.end(), {"-avoid_negative_ts", "make_zero"});
  append_fragmented_mp4_output(args, false);
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
