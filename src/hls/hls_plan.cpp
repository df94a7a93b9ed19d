#include "hls/hls_plan.hpp"

#include <algorithm>
#include <cmath>

namespace frameserve::hls {

using media::FrameIndex;
using media::FrameRange;
using media::Rational;

std::vector<HlsSegment> plan_hls_segments(const FrameIndex& index, const std::vector<FrameRange>& pieces,
                                          double max_seconds) {
  Rational tb = index.time_base();
  // The limit in ticks, rounded down so that no segment exceeds it.
  auto max_ticks = static_cast<int64_t>(
      std::floor(max_seconds * static_cast<double>(tb.den) / static_cast<double>(std::max<int64_t>(1, tb.num))));
  std::vector<HlsSegment> segments;
  int64_t piece_offset = 0;
  for (size_t p = 0; p < pieces.size(); ++p) {
    const FrameRange& range = pieces[p];
    const int64_t range_start = index.pts(range.first);
    int64_t first = range.first;
    while (first <= range.last) {
      const int64_t start = index.pts(first);
      int64_t last = first;
      while (last + 1 <= range.last && index.end_pts(last + 1) - start <= max_ticks) ++last;
      HlsSegment segment;
      segment.index = static_cast<int64_t>(segments.size());
      segment.frames = FrameRange{first, last};
      segment.offset_ticks = piece_offset + start - range_start;
      segment.duration_ticks = index.end_pts(last) - start;
      segment.piece = p;
      segment.piece_offset_ticks = piece_offset;
      segments.push_back(segment);
      first = last + 1;
    }
    piece_offset += index.end_pts(range.last) - range_start;
  }
  return segments;
}

std::vector<HlsSegment> plan_hls_segments(const FrameIndex& index, const FrameRange& range, double max_seconds) {
  return plan_hls_segments(index, std::vector<FrameRange>{range}, max_seconds);
}

namespace {
// The AAC frame boundary nearest to `video_us` on the grid starting at `origin_us`.
int64_t audio_grid_us(int64_t origin_us, int64_t video_us) {
  const double frame_us = 1e6 * media::k_aac_frame_samples / media::k_hls_audio_rate;
  double frames = std::round(static_cast<double>(video_us - origin_us) / frame_us);
  return origin_us + static_cast<int64_t>(std::llround(frames * frame_us));
}
}  // namespace

media::HlsSegmentTiming plan_hls_timing(const FrameIndex& index, const FrameRange& range, const HlsSegment& segment) {
  Rational tb = index.time_base();
  const int64_t origin = media::ticks_to_us_floor(index.pts(range.first), tb);
  media::HlsSegmentTiming t;
  t.video_start_us = media::ticks_to_us_floor(index.pts(segment.frames.first), tb);
  t.output_offset_us = t.video_start_us - origin + media::ticks_to_us_floor(segment.piece_offset_ticks, tb);
  t.audio_start_us = segment.frames.first == range.first ? origin : audio_grid_us(origin, t.video_start_us);
  t.audio_end_us = segment.frames.last == range.last
                       ? media::ticks_to_us_floor(index.end_pts(range.last), tb)
                       : audio_grid_us(origin, media::ticks_to_us_floor(index.pts(segment.frames.last + 1), tb));
  t.preroll = segment.frames.first != range.first;
  return t;
}

std::string render_hls_playlist(const std::vector<HlsSegment>& segments, Rational time_base,
                                const std::function<std::string(int64_t)>& segment_uri) {
  // Each EXTINF is the difference of the rounded start and end times, so
  // the rounding telescopes: the durations add up exactly to the pieces'.
  int64_t target = 1;
  std::string body;
  for (const HlsSegment& s : segments) {
    int64_t start_us = media::ticks_to_us_floor(s.offset_ticks, time_base);
    int64_t end_us = media::ticks_to_us_floor(s.offset_ticks + s.duration_ticks, time_base);
    target = std::max<int64_t>(target, (end_us - start_us + 999999) / 1000000);
    body += "#EXTINF:" + media::format_us_as_seconds(end_us - start_us) + ",\n" + segment_uri(s.index) + "\n";
  }
  // Version 3: decimal EXTINF durations.
  return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + std::to_string(target) +
         "\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n" + body +
         "#EXT-X-ENDLIST\n";
}

}  // namespace frameserve::hls
