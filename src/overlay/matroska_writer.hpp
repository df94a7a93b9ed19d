// RawVideoMatroska: the byte layout of a minimal live Matroska stream that
// carries raw I420 frames with exact timestamps — how frameserve hands drawn
// frames to the encoder ffmpeg through a pipe without losing variable frame
// rates (raw video or y4m on a pipe would force a constant rate).
//
// The stream is: EBML header, a Segment of unknown size (live), Info with a
// 1 µs timestamp scale, one video track ("V_UNCOMPRESSED", ColourSpace
// "I420"), then one Cluster per frame holding one keyframe SimpleBlock.
// Pure functions returning bytes; the caller writes the frame data itself
// right after frame_prefix(), so frames are never copied.
#pragma once

#include <cstdint>
#include <string>

namespace frameserve::overlay {

// Everything before the first frame.
std::string matroska_stream_header(int width, int height);

// The bytes preceding one frame's `frame_size` raw bytes, for a frame shown
// at `timestamp_us` from the start of the stream.
std::string matroska_frame_prefix(int64_t timestamp_us, uint64_t frame_size);

}  // namespace frameserve::overlay
