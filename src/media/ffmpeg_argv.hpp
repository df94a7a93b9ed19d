// ffmpeg command lines, as pure functions of the file and the request.
//
// Each builder composes the option pieces of media/ffmpeg_pieces (quiet
// prefix, seek preamble, exact-frame select, audio trim, x264/AAC blocks,
// crop/scale, pipe outputs), so every value that reaches a filter graph is
// a number computed there (frame timestamps, crop and scale sizes) —
// nothing a caller typed is spliced into a filter string. Inputs are
// "file:"-prefixed absolute paths. Outputs go to stdout (pipe:1); stdin is
// never read (-nostdin) except by the overlay encoder (pipe:0), and ffmpeg
// only prints errors. Pure, thread-safe; builders cannot fail (the request
// was validated against the file before).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "media/encoder_settings.hpp"
#include "media/ffmpeg_pieces.hpp"
#include "media/hls_timing.hpp"
#include "media/media_info.hpp"
#include "media/requests.hpp"
#include "media/storyboard_plan.hpp"
#include "process/command.hpp"

namespace frameserve::media {

// One exact frame as JPEG or PNG, optionally cropped and scaled.
process::Command build_thumbnail_command(const MediaFile& file, const FrameRequest& request,
                                         int extra_keyframes_back = 0);

// Frames [first, last] re-encoded (H.264 + AAC) as MPEG-TS: the first frame
// is exactly `first`, and there are exactly range.count() frames. `hls`:
// the range is one HLS segment placed on its playlist's timeline by this
// timing (output offset, audio on the AAC frame grid; see
// ffmpeg_pieces' hls_* pieces).
process::Command build_clip_command(const MediaFile& file, const FrameRange& range, bool audio,
                                    const EncoderSettings& encoder,
                                    const std::optional<HlsSegmentTiming>& hls = std::nullopt);

// Frames [first, last] without re-encoding, as fragmented MP4 a browser
// plays while downloading. Stream copy cannot cut between keyframes: the
// output starts at the keyframe at or before `first`.
process::Command build_copy_range_command(const MediaFile& file, const FrameRange& range, bool audio);

// Decodes frames [first, last] exactly, as raw I420 on stdout (the input of
// an overlay stream's drawing step).
process::Command build_raw_decode_command(const MediaFile& file, const FrameRange& range);

// Sheet `sheet` of a storyboard as one JPEG, in one ffmpeg run: the sheet's
// frames scaled to the tile size and packed by `tile`. Keyframe mode decodes
// only keyframes (-skip_frame nokey) from the sheet's first to its last
// (files with an open GOP: as exact mode, since that decoding is unreliable
// there); exact mode opens the file once per run of cells that decoding reaches
// more cheaply from the previous cell than from a new seek, each input
// seeking to its first cell's keyframe and stopping after its last cell,
// and concatenates them. `sheet` is a valid index of plan.sheets.
process::Command build_storyboard_sheet_command(const MediaFile& file, const StoryboardPlan& plan, size_t sheet);

enum class StreamFormat { fragmented_mp4, mpegts };

// Encodes drawn frames arriving on stdin (Matroska, raw I420 with
// timestamps starting at 0) with the audio of `range` taken from the file.
// `hls`: as for build_clip_command (the format must then be MPEG-TS).
process::Command build_overlay_encode_command(const MediaFile& file, const FrameRange& range, bool audio,
                                              StreamFormat format, const EncoderSettings& encoder,
                                              const std::optional<HlsSegmentTiming>& hls = std::nullopt);

}  // namespace frameserve::media
