// HLS playlist planning: which frames each segment of a range holds, and
// the VOD playlist text, computed from the FrameIndex alone (no ffmpeg).
//
// Segments are cut on frame boundaries by the frames' own pts, so a
// variable frame rate cannot make them drift: a segment holds the frames
// whose display intervals fit in `max_seconds` from its first frame's pts
// (at least one frame). The plan depends only on the index and the range,
// so every request for the same range (and every segment rendered alone,
// in any order) agrees on where the joins are. Each segment's duration is
// end_pts(last) - pts(first); consecutive segments touch, so the durations
// add up to the range's duration.
//
// Pure functions over immutable data; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "media/frame_index.hpp"
#include "media/requests.hpp"

namespace frameserve::media {

struct HlsSegment {
  int64_t index = 0;
  FrameRange frames;
  // pts of the segment's first frame minus the range's first pts, and the
  // segment's length, both in the index's time base.
  int64_t offset_ticks = 0;
  int64_t duration_ticks = 0;
};

inline constexpr double k_hls_max_segment_seconds = 6.0;

// Segment audio is resampled to this rate and cut on a grid of whole AAC
// frames counted from the range's start, so that independently encoded
// segments meet exactly: no gap, no overlap.
inline constexpr int k_hls_audio_rate = 48000;
inline constexpr int k_aac_frame_samples = 1024;

// How one segment is placed on the range's timeline; every time is on
// ffmpeg's -copyts timeline (the source pts as seconds), in microseconds.
struct HlsSegmentTiming {
  // Added to every output timestamp: the segment's video start minus the range's.
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

// The timing of `segment` of `range`. Pure; cannot fail.
HlsSegmentTiming plan_hls_timing(const FrameIndex& index, const FrameRange& range, const HlsSegment& segment);

// Splits `range` (which must lie inside the index) into segments of at most
// `max_seconds` each. Cannot fail: a single frame longer than the limit
// becomes a segment of its own.
std::vector<HlsSegment> plan_hls_segments(const FrameIndex& index, const FrameRange& range,
                                          double max_seconds = k_hls_max_segment_seconds);

// The VOD playlist of `segments`; `segment_uri(i)` gives segment i's URI as
// it is written into the playlist. Cannot fail.
std::string render_hls_playlist(const std::vector<HlsSegment>& segments, Rational time_base,
                                const std::function<std::string(int64_t)>& segment_uri);

}  // namespace frameserve::media
