#include "media/frame_seeker.hpp"

#include <algorithm>

namespace frameserve::media {

SeekPlan plan_seek(const MediaFile& file, int64_t frame, int extra_keyframes_back) {
  const FrameIndex& index = *file.index;
  const Keyframe& start = index.decode_start(frame);
  const std::vector<Keyframe>& keys = index.keyframes();
  size_t position = static_cast<size_t>(&start - keys.data());
  position = position > static_cast<size_t>(extra_keyframes_back) ? position - static_cast<size_t>(extra_keyframes_back) : 0;
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
  if (position > 0 && seek_us > 0) plan.seek_us = seek_us;
  return plan;
}

}  // namespace frameserve::media
