// HLS planning (hls/hls_plan) from a FrameIndex alone: segments of at most the
// limit on frame boundaries, durations adding up to the range, VFR-safe,
// and the AAC-frame grid of each segment's audio.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "hls/hls_plan.hpp"

using namespace frameserve;
using namespace frameserve::media;
using namespace frameserve::hls;

namespace {
FrameIndex index_from_pts(const std::vector<int64_t>& pts, Rational tb) {
  std::vector<PacketInfo> packets;
  for (size_t i = 0; i < pts.size(); ++i) {
    PacketInfo p;
    p.pts = pts[i];
    p.dts = pts[i];
    p.has_dts = true;
    p.keyframe = i == 0;
    packets.push_back(p);
  }
  auto index = FrameIndex::from_packets(packets, tb);
  REQUIRE(index);
  return index.value();
}
}  // namespace

TEST_CASE("hls playlist planning: 6 s segments on frame boundaries whose EXTINF add up to the range") {
  std::vector<int64_t> pts;
  for (int64_t i = 0; i < 400; ++i) pts.push_back(i * 40);  // 25 fps in milliseconds
  FrameIndex index = index_from_pts(pts, Rational{1, 1000});
  auto segments = plan_hls_segments(index, FrameRange{0, 399});
  REQUIRE(segments.size() == 3);
  CHECK(segments[0].frames.first == 0);
  CHECK(segments[0].frames.last == 149);
  CHECK(segments[1].frames.first == 150);
  CHECK(segments[2].frames.last == 399);
  CHECK(segments[1].offset_ticks == 6000);

  std::string playlist =
      render_hls_playlist(segments, index.time_base(), [](int64_t i) { return "s" + std::to_string(i) + ".ts"; });
  std::istringstream lines(playlist);
  std::string line;
  double sum = 0;
  int count = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("#EXTINF:", 0) == 0) {
      sum += std::stod(line.substr(8));
      ++count;
    }
  }
  CHECK(count == 3);
  CHECK(std::abs(sum - 16.0) < 1e-9);
  CHECK(playlist.find("#EXT-X-TARGETDURATION:6\n") != std::string::npos);
  CHECK(playlist.find("#EXT-X-PLAYLIST-TYPE:VOD\n") != std::string::npos);
  CHECK(playlist.rfind("#EXT-X-ENDLIST\n") == playlist.size() - 15);

  // Variable frame rate: durations alternate 30 and 50 ms; no segment is
  // longer than 6 s, and together they cover the range exactly.
  std::vector<int64_t> vfr;
  int64_t t = 0;
  for (int64_t i = 0; i < 500; ++i) {
    vfr.push_back(t);
    t += i % 2 ? 50 : 30;
  }
  FrameIndex vfr_index = index_from_pts(vfr, Rational{1, 1000});
  auto vfr_segments = plan_hls_segments(vfr_index, FrameRange{10, 480});
  int64_t total = 0;
  int64_t next = 10;
  for (const HlsSegment& s : vfr_segments) {
    CHECK(s.frames.first == next);
    CHECK(s.duration_ticks <= 6000);
    total += s.duration_ticks;
    next = s.frames.last + 1;
  }
  CHECK(next == 481);
  CHECK(total == vfr_index.end_pts(480) - vfr_index.pts(10));
}

TEST_CASE("hls segment timing: audio on one grid of 1024-sample AAC frames, segments meeting exactly") {
  std::vector<int64_t> pts;
  for (int64_t i = 0; i < 400; ++i) pts.push_back(i * 1001);  // 29.97 fps at 1/30000
  FrameIndex index = index_from_pts(pts, Rational{1, 30000});
  FrameRange range{7, 399};
  auto segments = plan_hls_segments(index, range, 2.0);
  REQUIRE(segments.size() >= 3);
  const double frame_us = 1e6 * k_aac_frame_samples / k_hls_audio_rate;
  HlsSegmentTiming previous;
  for (size_t i = 0; i < segments.size(); ++i) {
    CAPTURE(i);
    HlsSegmentTiming t = plan_hls_timing(index, range, segments[i]);
    CHECK(t.preroll == (i > 0));
    if (i > 0) {
      CHECK(t.audio_start_us == previous.audio_end_us);
      double frames = static_cast<double>(t.audio_start_us - index.pts_us(7)) / frame_us;
      CHECK(std::abs(frames - std::round(frames)) < 0.001);
      // Within half an AAC frame of the picture's cut.
      CHECK(std::abs(t.audio_start_us - t.video_start_us) <= frame_us / 2 + 1);
    }
    previous = t;
  }
  CHECK(previous.audio_end_us == ticks_to_us_floor(index.end_pts(399), index.time_base()));
}

TEST_CASE("hls planning over pieces (a scene video): segments never cross a piece, one continuous timeline") {
  std::vector<int64_t> pts;
  for (int64_t i = 0; i < 1000; ++i) pts.push_back(i * 40);  // 25 fps in milliseconds
  FrameIndex index = index_from_pts(pts, Rational{1, 1000});
  const std::vector<FrameRange> pieces{{100, 299}, {500, 524}, {700, 999}};
  auto segments = plan_hls_segments(index, pieces, 6.0);
  int64_t expected_offset = 0;
  int64_t piece_offset = 0;
  size_t piece = 0;
  for (const HlsSegment& s : segments) {
    CAPTURE(s.index);
    if (s.piece != piece) {
      // A new piece starts with a segment of its own, where the last one ended.
      CHECK(s.piece == piece + 1);
      piece_offset += index.end_pts(pieces[piece].last) - index.pts(pieces[piece].first);
      piece = s.piece;
      CHECK(s.frames.first == pieces[piece].first);
    }
    REQUIRE(s.piece < pieces.size());
    CHECK(s.frames.first >= pieces[s.piece].first);
    CHECK(s.frames.last <= pieces[s.piece].last);
    CHECK(s.piece_offset_ticks == piece_offset);
    CHECK(s.offset_ticks == expected_offset);
    expected_offset += s.duration_ticks;
    // The segment's place on the playlist's clock, in the argv's terms.
    HlsSegmentTiming t = plan_hls_timing(index, pieces[s.piece], s);
    CHECK(t.output_offset_us == ticks_to_us_floor(s.offset_ticks, index.time_base()));
    CHECK(t.preroll == (s.frames.first != pieces[s.piece].first));
  }
  CHECK(piece == 2);
  CHECK(expected_offset == (200 + 25 + 300) * 40);
  // The single-range form is the one-piece plan.
  auto one = plan_hls_segments(index, FrameRange{100, 299});
  auto same = plan_hls_segments(index, std::vector<FrameRange>{{100, 299}});
  REQUIRE(one.size() == same.size());
  for (size_t i = 0; i < one.size(); ++i) CHECK(one[i].offset_ticks == same[i].offset_ticks);
}
