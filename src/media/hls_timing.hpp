// How one HLS segment is placed on its playlist's timeline, in the terms the
// ffmpeg argv needs (media/ffmpeg_pieces' hls_* pieces). The plan that
// computes it lives in hls/hls_plan.hpp; only the vocabulary is here, because
// the argv builders below the services read it.
//
// Plain data; thread-safe.
#pragma once

#include <cstdint>

namespace frameserve::media {

// Segment audio is resampled to this rate and cut on a grid of whole AAC
// frames counted from the range's start, so that independently encoded
// segments meet exactly: no gap, no overlap.
inline constexpr int k_hls_audio_rate = 48000;
inline constexpr int k_aac_frame_samples = 1024;

// Every time is on ffmpeg's -copyts timeline (the source pts as seconds), in
// microseconds.
struct HlsSegmentTiming {
  // Added to every output timestamp: the segment's video start minus the
  // range's, plus where the range starts on the playlist's timeline.
  int64_t output_offset_us = 0;
  // The segment's video start: audio is rebased by it, as the video is.
  int64_t video_start_us = 0;
  // The segment's audio: [audio_start_us, audio_end_us), both on the AAC
  // frame grid (but the range's own end).
  int64_t audio_start_us = 0;
  int64_t audio_end_us = 0;
  // One AAC frame of audio before audio_start_us is encoded and dropped, so
  // the first kept packet decodes as it would in one continuous encode; the
  // encoder's priming packet is always dropped. False for a range's first
  // segment, which has nothing before it to overlap.
  bool preroll = false;
};

}  // namespace frameserve::media
