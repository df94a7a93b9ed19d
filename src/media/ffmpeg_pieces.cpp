#include "media/ffmpeg_pieces.hpp"

#include <algorithm>

#include "media/probe.hpp"

namespace frameserve::media {

void append_args(ArgList& args, std::initializer_list<std::string> more) { args.insert(args.end(), more); }

void append_args(ArgList& args, const ArgList& more) { args.insert(args.end(), more.begin(), more.end()); }

ArgList quiet_prefix() { return {"-nostdin", "-hide_banner", "-nostats", "-loglevel", "error"}; }

void append_seek_input(ArgList& args, const MediaFile& file, const SeekPlan& plan, const InputOptions& options) {
  if (plan.seek_us) append_args(args, {"-ss", format_us_as_seconds(*plan.seek_us)});
  if (plan.skip_bytes) append_args(args, {"-skip_initial_bytes", std::to_string(*plan.skip_bytes)});
  if (file.index && file.index->indexing() == Indexing::decode_order && !options.audio_only) {
    args.push_back("-noaccurate_seek");
  }
  if (options.copyts) args.push_back("-copyts");
  if (options.read_us) append_args(args, {"-t", format_us_as_seconds(*options.read_us)});
  if (options.audio_only) args.push_back("-vn");
  append_args(args, {"-i", ffmpeg_input_url(file.path)});
}

namespace {
// Frame `frame` of a decode_order index (`and_after`: and every frame after
// it; the caller limits the count), in what a decode from its keyframe
// outputs: register 0 counts the frames from the anchor's packet, register
// 1 the frames since the anchor (from 1, at the anchor), and the frame is
// the one where that count reaches offset + 1.
std::string select_by_position(const FrameIndex& index, int64_t frame, bool and_after) {
  FrameIndex::Locator at = index.locate(frame);
  const char* compare = and_after ? "gte" : "eq";
  if (at.from_start) return std::string("select=") + compare + "(n\\," + std::to_string(frame) + ")";
  // The position a decode from the start reports, or up to 64 bytes less:
  // after a seek (by time or by byte) the MPEG program stream demuxer
  // reports a packet at its pack's start, 14 bytes before where reading
  // from the start puts it (measured on a 10-minute VOB). No other frame's
  // position lies in the window.
  int64_t low = std::max(at.anchor_pos - 64, index.position_below(at.anchor_pos) + 1);
  std::string match = "between(pos\\," + std::to_string(low) + "\\," + std::to_string(at.anchor_pos) + ")";
  if (at.offset == 0 && at.anchor_ordinal == 0 && !and_after) return "select=" + match;
  return std::string("select=") + compare + "(st(1\\,ld(1)+gte(st(0\\,ld(0)+" + match + ")\\," +
         std::to_string(at.anchor_ordinal + 1) + "))\\," + std::to_string(at.offset + 1) + ")";
}
}  // namespace

std::string exact_frame_select(const FrameIndex& index, int64_t frame) {
  if (index.indexing() == Indexing::decode_order) return select_by_position(index, frame, false);
  return "select=eq(pts\\," + std::to_string(index.pts(frame)) + ")";
}

std::string exact_range_select(const FrameIndex& index, const FrameRange& range) {
  if (index.indexing() == Indexing::decode_order) return select_by_position(index, range.first, true);
  return "select=between(pts\\," + std::to_string(index.pts(range.first)) + "\\," +
         std::to_string(index.pts(range.last)) + ")";
}

std::string rebase_pts_filter(const FrameIndex& index, const FrameRange& range, Rational fps) {
  if (index.indexing() == Indexing::decode_order) {
    if (!fps.valid()) fps = Rational{25, 1};
    return "setpts=N*" + std::to_string(fps.den) + "/(" + std::to_string(fps.num) + "*TB)";
  }
  return "setpts=PTS-" + std::to_string(index.pts(range.first));
}

std::string audio_trim_filter(const FrameIndex& index, const FrameRange& range) {
  std::string start = seconds_text(index.pts(range.first), index.time_base());
  std::string end = seconds_text(index.end_pts(range.last), index.time_base());
  return "atrim=start=" + start + ":end=" + end + ",asetpts=PTS-" + start + "/TB";
}

std::string crop_filter(const CropRect& crop) {
  return "crop=" + std::to_string(crop.width) + ":" + std::to_string(crop.height) + ":" + std::to_string(crop.x) + ":" +
         std::to_string(crop.y) + ":exact=1";
}

std::string scale_filter(int64_t width, int64_t height, bool fit_inside) {
  std::string filter = "scale=" + std::to_string(width) + ":" + std::to_string(height);
  if (fit_inside && width > 0 && height > 0) filter += ":force_original_aspect_ratio=decrease";
  return filter;
}

ArgList x264_args(const EncoderSettings& encoder) {
  return {"-c:v",     "libx264", "-preset", encoder.x264_preset, "-crf", std::to_string(encoder.crf),
          "-pix_fmt", "yuv420p"};
}

ArgList aac_args(const EncoderSettings& encoder) {
  return {"-c:a", "aac", "-b:a", std::to_string(encoder.audio_bitrate_kbps) + "k"};
}

// ffmpeg's key=value progress blocks on stderr, about twice a second: the
// stream's reader (process::StreamJob) takes them out of the error text and
// counts the frames written for MediaStream::pump's listener (the CLI's
// --progress). A global option, so its place on the command line does not
// matter; a few short lines every half second cost nothing next to an encode.
ArgList progress_on_stderr() { return {"-progress", "pipe:2"}; }

ArgList mpegts_pipe_output() {
  ArgList args = progress_on_stderr();
  append_args(args, {"-flush_packets", "1", "-f", "mpegts", "pipe:1"});
  return args;
}

// ffmpeg 5.1 writes no edit list with a bare `empty_moov`, so the video's
// composition delay (x264's B-frame reorder, or a copied source's) and AAC's
// 1024-sample priming stay in the stream: the muxer stretches the priming
// sample over the difference, which timestamps honour but players that play
// audio back to back (Chromium's MSE, any PCM sink) do not — the sound came
// 45 ms early at 29.97 fps with -bf 3. `delay_moov` holds the header back
// until the first fragment is cut and writes an edit list from the real
// first timestamps, which cancels both.
//
// `encoding`: the caller encodes the video, so it forces one keyframe at
// 0.1 s; the first fragment, and with it the header, is then cut after a
// few frames instead of a whole GOP, and the first bytes come about as early
// as with `empty_moov` alone. Not on frame 1: the header waits until every
// track holds a sample, and a cut there came before the first AAC packet
// (x264's first packets are timed at -67 and -33 ms, AAC's at -21 ms), so
// it waited a whole GOP (measured: 450 ms later than today). A stream copy
// cuts at the source's second keyframe, which reading (not encoding) reaches
// at once.
ArgList fragmented_mp4_pipe_output(bool encoding) {
  ArgList args = progress_on_stderr();
  if (encoding) append_args(args, {"-force_key_frames", "expr:eq(n_forced,0)*gte(t,0.1)"});
  append_args(args, {"-movflags", "frag_keyframe+empty_moov+default_base_moof+delay_moov", "-flush_packets", "1", "-f",
                     "mp4", "pipe:1"});
  return args;
}

std::string hls_audio_filter(const HlsSegmentTiming& timing) {
  const int64_t frame_us = 1000000LL * k_aac_frame_samples / k_hls_audio_rate;
  int64_t input_start_us = timing.audio_start_us - (timing.preroll ? frame_us : 0);
  return "atrim=start=" + format_us_as_seconds(input_start_us) + ":end=" + format_us_as_seconds(timing.audio_end_us) +
         ",asetpts=PTS-" + format_us_as_seconds(timing.video_start_us) + "/TB";
}

ArgList hls_segment_output(const HlsSegmentTiming& timing, bool with_audio) {
  ArgList args = {"-output_ts_offset", format_us_as_seconds(timing.output_offset_us),
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
  if (with_audio) {
    // Packet 0 is the encoder's priming; with a pre-roll, packet 1 is that.
    std::string dropped = timing.preroll ? "2" : "1";
    append_args(args, {"-ar", std::to_string(k_hls_audio_rate), "-bsf:a", "noise=drop=lt(n\\," + dropped + ")"});
  }
  return args;
}

SeekPlan hls_audio_seek(SeekPlan plan) {
  // Decoding from an earlier keyframe changes no frame (they are picked by
  // their pts), and the audio input is trimmed by timestamps too.
  if (plan.seek_us) plan.seek_us = std::max<int64_t>(0, *plan.seek_us - 500000);
  return plan;
}

ArgList keyframes_only_decoding() { return {"-skip_frame", "nokey"}; }

std::string frames_select(const FrameIndex& index, const std::vector<int64_t>& frames) {
  std::string expression;
  for (int64_t frame : frames) {
    expression += (expression.empty() ? "" : "+") + std::string("eq(pts\\,") + std::to_string(index.pts(frame)) + ")";
  }
  return "select=" + expression;
}

std::string tile_filter(int columns, int rows) {
  return "tile=" + std::to_string(columns) + "x" + std::to_string(rows);
}

int jpeg_qscale(int quality) { return std::clamp(2 + ((100 - quality) * 29 + 49) / 99, 2, 31); }

std::string seconds_text(int64_t ticks, Rational time_base) {
  return format_us_as_seconds(ticks_to_us_floor(ticks, time_base));
}

}  // namespace frameserve::media
