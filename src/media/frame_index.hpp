// FrameIndex: the presentation-order timestamp of every video frame of a
// file, and its keyframes — what lets frameserve reach frame N exactly
// without decoding from the start.
//
// Frame numbers are zero-based indices of decoded frames in the order the
// decoder outputs them, the numbering of ffmpeg's `select=eq(n\,N)`. Two
// ways to build it (Indexing):
//
// - timestamps: where the container's pts give presentation order (MP4,
//   Matroska, MPEG-TS, WebM), from its packets (ffprobe -show_packets: no
//   decoding), sorted by pts. Exact for B-frames, variable frame rate and
//   millisecond time bases alike; frames are picked by `select` on their pts.
// - decode_order: where they do not (packets without pts in AVI, MPEG
//   program streams and raw elementary streams; pts equal to dts while the
//   codec reorders; duplicate pts), from one decode pass (ffprobe
//   -show_frames), which lists for every frame the decoder outputs the byte
//   position of the packet it came from. Frames are picked by `select` on
//   that position (`pos`), which does not depend on timestamps and is the
//   same after a seek; pts() is then a presentation time derived from the
//   decoder's best-effort timestamps, or from the frame rate where the file
//   has none, used for durations, audio and timestamp_secs only.
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
  bool has_pts = true;  // false: the container gives this packet no pts
  int64_t pos = -1;     // byte position in the file; -1 unknown
};

// One frame as the decoder outputs it (ffprobe -show_frames), in output order.
struct DecodedFrame {
  int64_t pos = -1;  // pkt_pos: byte position of the packet it came from
  bool has_timestamp = false;
  int64_t timestamp = 0;  // best_effort_timestamp
};

// How a file's frames are numbered and found (see the comment above).
enum class Indexing { timestamps, decode_order };

// "timestamps" or "decode_order": the API's `indexing` field.
const char* indexing_name(Indexing indexing);

struct Keyframe {
  // Presentation index: of the keyframe itself, or for a discarded keyframe
  // (the lead-in of an edit list) of the first frame shown after it.
  int64_t frame = 0;
  int64_t pts = 0;
  int64_t dts = 0;
  // True when packets after this keyframe in decode order are shown before
  // it (an open GOP): decoding must then start one keyframe earlier.
  bool open_gop = false;
  // Byte position of the keyframe's packet (decode_order indexes; -1 when
  // unknown).
  int64_t pos = -1;
  // Whether `pts` is a time the demuxer can seek to (-ss). For
  // decode_order indexes `pts` is the packet's pts, or its dts where it has
  // none (AVI), and this is false where it has neither (raw streams), which
  // are then reached by byte position, or by decoding from the start.
  bool seekable_by_time = true;
};

class FrameIndex {
 public:
  // Builds the index from packets in decode order. Frames are the packets
  // the decoder shows: not those before the first keyframe (undecodable) and
  // not discarded ones (hidden by an edit list), whose keyframes still count
  // as places to start decoding. Errors: `invalid_argument` when no frame
  // is shown, there is no keyframe, or two frames share a pts.
  static Result<FrameIndex> from_packets(const std::vector<PacketInfo>& decode_order, Rational time_base);

  // True when the packets alone cannot give presentation order, so a decode
  // pass must: some shown packet has no pts, two share a pts, or every pts
  // equals its dts while the codec may reorder (`reorders`: the stream's
  // has_b_frames is above 0).
  static bool needs_decode_pass(const std::vector<PacketInfo>& decode_order, bool reorders);

  // True when numbering by sorted pts gives exactly the decoder's output:
  // every shown packet has a pts and a position, and the positions sorted
  // by pts are the decoded frames' positions in output order.
  static bool timestamps_match_decoder(const std::vector<PacketInfo>& decode_order,
                                       const std::vector<DecodedFrame>& output_order);

  // Builds a decode_order index: frames are `output_order` (what the
  // decoder output, so a frame it could not decode has no number), each
  // found by its packet position; keyframes are the packets flagged K in
  // `decode_order`. `fps` times frames where the decoder gives no strictly
  // increasing timestamps. `byte_seek`: the demuxer can start reading at a
  // keyframe's byte position (-skip_initial_bytes: raw streams, MPEG program
  // streams), used for keyframes without a time. Errors: `invalid_argument`
  // when nothing was decoded or no decoded frame comes from a keyframe
  // packet with a known position.
  static Result<FrameIndex> from_decoded_frames(const std::vector<PacketInfo>& decode_order,
                                                const std::vector<DecodedFrame>& output_order, Rational time_base,
                                                Rational fps, bool byte_seek);

  // The compact binary form stored in the database, and back.
  std::string serialize() const;
  static Result<FrameIndex> deserialize(std::string_view bytes);
  // Version 2 adds the indexing, frame positions and keyframe positions;
  // version 1 (timestamps only) is still read.
  static constexpr int k_format_version = 2;

  Indexing indexing() const { return m_indexing; }
  bool byte_seek() const { return m_byte_seek; }

  // decode_order indexes: the byte position of the packet `frame` came
  // from (-1: none known), and how many earlier frames came from the same
  // position (0 for nearly every frame: a packet that decodes to two
  // pictures, or a raw stream read in chunks, can give several).
  int64_t pos(int64_t frame) const { return m_pos[static_cast<size_t>(frame)]; }
  int64_t pos_ordinal(int64_t frame) const;

  // decode_order indexes: how to recognise `frame` in what a decode from
  // its decode_start() keyframe outputs. Not every frame has a position (a
  // program stream's parser gives none to a picture that starts inside a
  // PES packet begun by another), so a frame is found as the `offset`-th
  // frame after an anchor: the nearest frame at or before it, no earlier
  // than its keyframe, that has one (itself, offset 0, nearly always).
  // `from_start`: there is no such anchor; the frame is found by counting
  // from the start of the file, which plan_seek() then decodes from.
  struct Locator {
    int64_t anchor_pos = -1;
    int64_t anchor_ordinal = 0;  // pos_ordinal() of the anchor
    int64_t offset = 0;
    bool from_start = false;
  };
  Locator locate(int64_t frame) const;

  // decode_order indexes: the greatest frame position below `pos`, -1 if
  // none.
  int64_t position_below(int64_t pos) const;

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
  Indexing m_indexing = Indexing::timestamps;
  bool m_byte_seek = false;
  Rational m_time_base;
  std::vector<int64_t> m_pts;         // presentation order, strictly increasing
  std::vector<int64_t> m_pos;         // decode_order only: packet position per frame
  std::vector<Keyframe> m_keyframes;  // by frame
};

}  // namespace frameserve::media
