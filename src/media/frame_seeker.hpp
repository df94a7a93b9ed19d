// The frame seeker: how ffmpeg reaches frame N exactly, without decoding
// from the start of the file.
//
// Decoding starts at the keyframe FrameIndex::decode_start() names (one
// keyframe earlier for open GOPs). The input seek (-ss before -i) targets
// that keyframe's pts, rounded down to ffmpeg's microseconds. Demuxers that
// look keyframes up by pts (mov, matroska) land exactly on it; those that
// use dts (MPEG-TS) also land on it, since its dts is not after its pts and
// the next keyframe's dts is a GOP later. Either way never after it, which
// would lose the frame. With -copyts the frames keep their
// container timestamps, and `select=eq(pts\,P)` on the integer pts from the
// index picks exactly frame N: the same frame `select=eq(n\,N)` yields when
// decoding from the start, at a cost that does not grow with N.
//
// decode_order indexes (see media/frame_index) seek the same way to the
// keyframe packet's pts, or its dts where it has none (AVI: the demuxer's
// index is by dts), and pick the frame by its packet's byte position, which
// a seek does not change; in AVI, ffmpeg's own step back of 3/23 s before
// a seek is added back (see frame_seeker.cpp), so that the seek lands on
// that keyframe, not a GOP before. Keyframes with no time at all (raw elementary
// streams) are reached by starting to read at their byte position
// (-skip_initial_bytes), where the format allows it; otherwise decoding
// starts at the beginning of the file.
#pragma once

#include <cstdint>
#include <optional>

#include "media/media_info.hpp"

namespace frameserve::media {

struct SeekPlan {
  // Value for -ss (microseconds from the file's start time); nullopt when
  // decoding simply starts at the beginning.
  std::optional<int64_t> seek_us;
  // Value for -skip_initial_bytes: where the demuxer starts reading (a
  // keyframe's packet); nullopt unless the keyframe has no time.
  std::optional<int64_t> skip_bytes;
  int64_t keyframe = 0;  // frame number where decoding starts
};

// `extra_keyframes_back` moves the start further back (a fallback when a
// demuxer's seek overshoots).
SeekPlan plan_seek(const MediaFile& file, int64_t frame, int extra_keyframes_back = 0);

}  // namespace frameserve::media
