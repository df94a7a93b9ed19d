// FrameIndex: the presentation-order timestamp of every video frame of a
// file, and its keyframes — what lets frameserve reach frame N exactly
// without decoding from the start.
//
// Frame numbers are zero-based indices of decoded frames in presentation
// order, the numbering of ffmpeg's `select=eq(n\,N)`. The index is built
// from the container's packets (ffprobe -show_packets: no decoding), sorted
// by pts, so it is exact for B-frames, variable frame rate and millisecond
// time bases alike.
//
// Immutable after construction; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "media/rational.hpp"

namespace frameserve::media {

// One video packet as the demuxer delivers it (decode order).
struct PacketInfo {
  int64_t pts = 0;
  int64_t dts = 0;
  bool has_dts = false;
  bool keyframe = false;
  // Hidden by an edit list (ffprobe flag `D`): decoded, because later frames
  // may reference it, but never shown and therefore never numbered.
  bool discard = false;
};

struct Keyframe {
  // Presentation index: of the keyframe itself, or for a discarded keyframe
  // (the lead-in of an edit list) of the first frame shown after it.
  int64_t frame = 0;
  int64_t pts = 0;
  int64_t dts = 0;
  // True when packets after this keyframe in decode order are shown before
  // it (an open GOP): decoding must then start one keyframe earlier.
  bool open_gop = false;
};

class FrameIndex {
 public:
  // Builds the index from packets in decode order. Frames are the packets
  // the decoder shows: not those before the first keyframe (undecodable) and
  // not discarded ones (hidden by an edit list), whose keyframes still count
  // as places to start decoding. Errors: `invalid_argument` when no frame
  // is shown, there is no keyframe, or two frames share a pts.
  static Result<FrameIndex> from_packets(const std::vector<PacketInfo>& decode_order, Rational time_base);

  // The compact binary form stored in the database, and back.
  std::string serialize() const;
  static Result<FrameIndex> deserialize(std::string_view bytes);
  static constexpr int k_format_version = 1;

  int64_t frame_count() const { return static_cast<int64_t>(m_pts.size()); }
  Rational time_base() const { return m_time_base; }
  int64_t pts(int64_t frame) const { return m_pts[static_cast<size_t>(frame)]; }
  const std::vector<Keyframe>& keyframes() const { return m_keyframes; }

  // Absolute presentation time of `frame` in microseconds (floor).
  int64_t pts_us(int64_t frame) const { return ticks_to_us_floor(pts(frame), m_time_base); }

  // The pts at which `frame` stops being shown: the next frame's pts, or for
  // the last frame its pts plus the previous frame's duration.
  int64_t end_pts(int64_t frame) const;

  // The first frame whose pts is >= `pts`; frame_count() if none.
  int64_t first_frame_at_or_after(int64_t pts) const;

  // The keyframe where decoding must start so that `frame` (and every frame
  // after it) decodes exactly as from the start of the file.
  const Keyframe& decode_start(int64_t frame) const;

 private:
  Rational m_time_base;
  std::vector<int64_t> m_pts;  // presentation order, strictly increasing
  std::vector<Keyframe> m_keyframes;  // by frame
};

}  // namespace frameserve::media
