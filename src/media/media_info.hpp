// MediaInfo: what frameserve knows about a registered video file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "media/frame_index.hpp"
#include "media/rational.hpp"

namespace frameserve::media {

struct MediaInfo {
  std::string container;    // ffprobe format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  std::string video_codec;  // e.g. "h264"
  std::string audio_codec;  // empty when the file has no audio
  int width = 0;
  int height = 0;
  Rational fps;             // average frame rate
  Rational time_base;       // of the video stream
  int64_t frame_count = 0;  // decoded video frames (from the frame index)
  double duration_secs = 0;
  int64_t start_time_us = 0;  // the file's start time; ffmpeg's -ss counts from here
  bool has_audio = false;
  // ffprobe's has_b_frames: how many frames the decoder may hold back to
  // reorder. Known from probing only (not stored): registration uses it to
  // decide how to index the file.
  int reorder_depth = 0;
  int64_t size_bytes = 0;
  int64_t mtime_ns = 0;
};

// A video file ready for extraction: where it is, what it is, its frames.
// Immutable once built; shared between requests through shared_ptr.
struct MediaFile {
  std::string file_uuid;  // empty for a plain path given to the CLI
  std::string path;       // absolute
  MediaInfo info;
  std::shared_ptr<const FrameIndex> index;

  // Seconds from the file's start time to frame `frame` (real pts, so
  // correct for variable frame rate).
  double timestamp_secs(int64_t frame) const;
};

}  // namespace frameserve::media
