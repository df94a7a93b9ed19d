#include "media/media_info.hpp"

namespace frameserve::media {

double MediaFile::timestamp_secs(int64_t frame) const {
  return static_cast<double>(index->pts_us(frame) - info.start_time_us) / 1e6;
}

}  // namespace frameserve::media
