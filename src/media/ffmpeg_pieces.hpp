// The vocabulary of ffmpeg argv pieces: every option group frameserve
// passes to ffmpeg is spelled once, here, and every command builder
// (media/ffmpeg_argv, faces/blur_measure, HLS segments) composes these
// instead of retyping them.
//
// Pure functions, thread-safe, never fail. Every value they put into a
// filter graph is a number computed from the FrameIndex or a validated
// request (timestamps, sizes), never text a caller typed; inputs are
// "file:"-prefixed absolute paths, so a name like "a:b.mp4" or "-x" cannot
// be read as a protocol or an option.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "media/encoder_settings.hpp"
#include "media/frame_index.hpp"
#include "media/frame_seeker.hpp"
#include "media/hls_timing.hpp"
#include "media/media_info.hpp"
#include "media/requests.hpp"

namespace frameserve::media {

using ArgList = std::vector<std::string>;

// Appends `more` to `args`.
void append_args(ArgList& args, std::initializer_list<std::string> more);
void append_args(ArgList& args, const ArgList& more);

// How every ffmpeg run starts: stdin is never read (-nostdin: a child that
// reads our stdin would steal the CLI's terminal or block), and only errors
// reach stderr (-loglevel error -nostats: progress lines would fill the
// stderr pipe; what does come is drained by process::OutputReader and its
// last line becomes the error message).
ArgList quiet_prefix();

// How an input file is opened (the seek preamble).
struct InputOptions {
  // -copyts: frames keep their container timestamps, so `select` can pick
  // them by the FrameIndex's integer pts. Off only for stream copies,
  // which rebase timestamps themselves.
  bool copyts = true;
  // -t: stop reading this many microseconds after the seek point.
  std::optional<int64_t> read_us;
  // -vn: open the file for its audio only.
  bool audio_only = false;
};

// `[-ss S | -skip_initial_bytes B] [-noaccurate_seek] [-copyts] [-t T] [-vn]
// -i file:PATH`: opens the file with an input seek to `plan`'s keyframe (none
// when decoding starts at the file's beginning), so reaching a frame never
// decodes from the start. decode_order files read video without
// -accurate_seek, whose trim would drop frames without a timestamp; their
// frames are picked by position instead.
void append_seek_input(ArgList& args, const MediaFile& file, const SeekPlan& plan, const InputOptions& options = {});

// `select=eq(pts\,P)`: exactly frame `frame` (needs -copyts on its input).
// decode_order indexes: `select=eq(pos\,B)`, the frame from the packet at
// byte B (counting frames from that packet where it gave several).
std::string exact_frame_select(const FrameIndex& index, int64_t frame);

// `select=between(pts\,P1\,P2)`: exactly frames [first, last] (-copyts).
// decode_order indexes: every frame from `first` on (its position, as
// above), so the command must stop after range.count() frames (-frames:v).
std::string exact_range_select(const FrameIndex& index, const FrameRange& range);

// `setpts=...`: the selected frames of `range` retimed to start at 0, by
// their pts (timestamps) or by the frame rate (decode_order, whose decoded
// timestamps may be missing or out of order).
std::string rebase_pts_filter(const FrameIndex& index, const FrameRange& range, Rational fps);

// `atrim=start=S:end=E,asetpts=PTS-S/TB`: the audio of frames [first,
// last] — from the first frame's time to the end of the last frame — rebased
// to start at 0 like the video (needs -copyts on the audio's input).
std::string audio_trim_filter(const FrameIndex& index, const FrameRange& range);

// `crop=W:H:X:Y:exact=1` (exact: no rounding to chroma subsampling).
std::string crop_filter(const CropRect& crop);

// `scale=W:H`; -1 keeps the aspect ratio; `fit_inside` with both sizes
// keeps it too by shrinking into the W x H box.
std::string scale_filter(int64_t width, int64_t height, bool fit_inside = false);

// `-c:v libx264 -preset P -crf C -pix_fmt yuv420p`: how frameserve encodes
// video (yuv420p because browsers cannot play 4:4:4).
ArgList x264_args(const EncoderSettings& encoder);

// `-c:a aac -b:a Nk`: how frameserve encodes audio.
ArgList aac_args(const EncoderSettings& encoder);

// `-progress pipe:2`: ffmpeg's key=value progress on stderr, which a
// stream's reader turns into frame counts. Part of both stream outputs below.
ArgList progress_on_stderr();

// MPEG-TS on stdout, packets flushed as soon as they are muxed so the first
// bytes reach the client while the rest is still being encoded.
ArgList mpegts_pipe_output();

// Fragmented MP4 on stdout (plain MP4 cannot go to a pipe). `encoding`: the
// caller encodes the video (see the .cpp for why that changes the flags).
ArgList fragmented_mp4_pipe_output(bool encoding);

// The pieces that turn an encode into one HLS segment placed by `timing`
// (see media/hls_timing.hpp, planned by hls/hls_plan.hpp): every output timestamp is shifted by the
// segment's offset in its range, and its audio is resampled to
// k_hls_audio_rate and cut to [audio_start, audio_end) on the AAC frame
// grid, with the encoder's priming packet (and the pre-roll frame) dropped
// after encoding, so that consecutive segments join without a gap.
//
// The audio filter: `atrim` on the grid (one AAC frame earlier with a
// pre-roll), rebased by the segment's video start as the video is.
std::string hls_audio_filter(const HlsSegmentTiming& timing);
// Output options: `-output_ts_offset`, `-avoid_negative_ts disabled`,
// `-bf 0` and, with audio, `-ar` and the packet-dropping bitstream filter.
ArgList hls_segment_output(const HlsSegmentTiming& timing, bool with_audio);
// The seek of the input a segment's audio is read from: half a second
// before `plan`'s, so that the pre-roll is in what the input decodes.
SeekPlan hls_audio_seek(SeekPlan plan);

// `-skip_frame nokey`, an input option: the decoder skips every frame but
// the keyframes (storyboards: 100x faster than decoding everything).
ArgList keyframes_only_decoding();

// `select='eq(pts\,P1)+eq(pts\,P2)+…'`: exactly these frames (-copyts).
std::string frames_select(const FrameIndex& index, const std::vector<int64_t>& frames);

// `tile=CxR`: packs frames row by row into one picture; cells left over when
// the input ends stay black.
std::string tile_filter(int columns, int rows);

// mjpeg's -q:v for a JPEG quality: 100 -> 2 (best), 1 -> 31 (worst).
int jpeg_qscale(int quality);

// The -ss value and timestamps ffmpeg wants, as text: `ticks` of
// `time_base` rounded down to microseconds.
std::string seconds_text(int64_t ticks, Rational time_base);

}  // namespace frameserve::media
