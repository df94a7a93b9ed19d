// HLS planning: which frames each segment of a playlist holds, where each
// segment sits on the playlist's timeline, its audio cut, and the VOD
// playlist text — computed from the FrameIndex alone (no ffmpeg).
//
// A playlist plays one or more pieces (frame ranges of the film) one after
// another: the whole view's range, or the scenes of a scene video. Segments
// never cross a piece; each piece starts where the previous one ended on the
// playlist's clock. Within a piece, segments are cut on frame boundaries by
// the frames' own pts, so a variable frame rate cannot make them drift: a
// segment holds the frames whose display intervals fit in `max_seconds` from
// its first frame's pts (at least one frame). The plan depends only on the
// index and the pieces, so every request for the same view (and every
// segment rendered alone, in any order) agrees on where the joins are. Each
// segment's duration is end_pts(last) - pts(first); consecutive segments
// touch, so the durations add up to the pieces' durations.
//
// Pure functions over immutable data; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "media/frame_index.hpp"
#include "media/hls_timing.hpp"
#include "media/requests.hpp"

namespace frameserve::hls {

struct HlsSegment {
  int64_t index = 0;
  media::FrameRange frames;
  // The segment's start on the playlist's timeline and its length, both in
  // the index's time base.
  int64_t offset_ticks = 0;
  int64_t duration_ticks = 0;
  // Which piece it belongs to, and where that piece starts on the
  // playlist's timeline (0 for a single range).
  size_t piece = 0;
  int64_t piece_offset_ticks = 0;
};

inline constexpr double k_hls_max_segment_seconds = 6.0;

// The timing of `segment` of `piece` (the piece it belongs to). Pure;
// cannot fail.
media::HlsSegmentTiming plan_hls_timing(const media::FrameIndex& index, const media::FrameRange& piece,
                                        const HlsSegment& segment);

// Splits `pieces` (each inside the index, in playing order) into segments
// of at most `max_seconds` each. Cannot fail: a single frame longer than the
// limit becomes a segment of its own.
std::vector<HlsSegment> plan_hls_segments(const media::FrameIndex& index, const std::vector<media::FrameRange>& pieces,
                                          double max_seconds = k_hls_max_segment_seconds);

// The same for one range. Cannot fail.
std::vector<HlsSegment> plan_hls_segments(const media::FrameIndex& index, const media::FrameRange& range,
                                          double max_seconds = k_hls_max_segment_seconds);

// The VOD playlist of `segments`; `segment_uri(i)` gives segment i's URI as
// it is written into the playlist. Cannot fail.
std::string render_hls_playlist(const std::vector<HlsSegment>& segments, media::Rational time_base,
                                const std::function<std::string(int64_t)>& segment_uri);

}  // namespace frameserve::hls
