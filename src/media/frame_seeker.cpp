#include "media/frame_seeker.hpp"

#include <algorithm>

namespace frameserve::media {

namespace {
// ffmpeg 5.1 (fftools/ffmpeg_opt.c, open_input_file) seeks an input 3/23 s
// before its -ss when the format does not seek by pts and a stream has a
// B-frame delay, so that a demuxer indexing by dts does not land after the
// frame. AVI's demuxer looks the target up in its index of keyframes by
// dts, the times a decode_order index keeps for it, and lands on the last
// keyframe at or before the target: a GOP early, so that a stream copy
// started at the wrong keyframe (and said another) and a thumbnail decoded a
// GOP more. Adding the same amount back makes the target the keyframe's own
// time. Measured, not assumed, per format: MPEG program streams search by
// bytes and then read on to the next keyframe, which with ffmpeg's step
// back is the one asked for (a target at the keyframe's time lands on the
// next one); mov seeks by pts (AVFMT_SEEK_TO_PTS: no step back); raw
// streams are reached by byte. Timestamp indexes keep ffmpeg's behaviour:
// their copies drop packets before the seek time and their frames are
// picked by pts.
constexpr int64_t k_ffmpeg_dts_heuristic_us = 3 * 1000000 / 23;

int64_t dts_heuristic_us(const MediaFile& file) {
  if (file.index->indexing() != Indexing::decode_order || file.info.reorder_depth <= 0) return 0;
  return file.info.container == "avi" ? k_ffmpeg_dts_heuristic_us : 0;
}
}  // namespace

SeekPlan plan_seek(const MediaFile& file, int64_t frame, int extra_keyframes_back) {
  const FrameIndex& index = *file.index;
  const Keyframe& start = index.decode_start(frame);
  const std::vector<Keyframe>& keys = index.keyframes();
  size_t position = static_cast<size_t>(&start - keys.data());
  position =
      position > static_cast<size_t>(extra_keyframes_back) ? position - static_cast<size_t>(extra_keyframes_back) : 0;
  const Keyframe& key = keys[position];

  SeekPlan plan;
  plan.keyframe = key.frame;
  // A decode_order frame without an anchor after its keyframe is counted
  // from the start of the file.
  if (index.indexing() == Indexing::decode_order && index.locate(frame).from_start) {
    plan.keyframe = keys.front().frame;
    return plan;
  }
  if (position > 0 && !key.seekable_by_time) {
    if (index.byte_seek() && key.pos > 0) {
      plan.skip_bytes = key.pos;
    } else {
      plan.keyframe = keys.front().frame;
    }
    return plan;
  }
  int64_t seek_us = ticks_to_us_floor(key.pts, index.time_base()) - file.info.start_time_us;
  // At or before the first keyframe there is nothing to skip.
  if (position > 0 && seek_us > 0) plan.seek_us = seek_us + dts_heuristic_us(file);
  return plan;
}

}  // namespace frameserve::media
