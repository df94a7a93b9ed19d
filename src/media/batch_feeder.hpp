// BatchFeeder: the middle of a frame batch segment (media/frame_batch) —
// reads the decoder's RGB frames (PAM images, in the segment's frame order),
// cuts each requested crop out of them and writes it to the encoder as a
// PPM image, in the segment's item order.
//
// It spawns nothing: the process layer's StreamJob (JobRunner::
// start_pipeline) owns both children and the thread feed() runs on. It
// holds one decoded frame and one crop at a time, whatever the batch size.
// Thread-safety: used by the feeder thread only, once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "media/requests.hpp"
#include "process/stream_feeder.hpp"

namespace frameserve::media {

struct FeedFrame {
  int64_t frame = 0;
  std::vector<CropRect> crops;  // at least one; in item order
};

class BatchFeeder : public process::StreamFeeder {
 public:
  explicit BatchFeeder(std::vector<FeedFrame> frames) : m_frames(std::move(frames)) {}

  // Returns "" when every crop was written, else why not (decoder short or
  // failed, an image not RGB, a crop outside it, encoder gone).
  std::string feed(process::OutputReader& decoder, int encoder_stdin, const std::atomic<bool>& stop) override;

 private:
  std::vector<FeedFrame> m_frames;
};

// A PAM image header ("P7 ... ENDHDR\n") at the start of `data`. Returns the
// header's length, 0 when more bytes are needed, or -1 when it is not one.
struct PamHeader {
  int64_t width = 0;
  int64_t height = 0;
  int64_t depth = 0;
  int64_t maxval = 0;
};
int64_t parse_pam_header(const std::string& data, PamHeader& header);

}  // namespace frameserve::media
