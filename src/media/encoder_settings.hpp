// EncoderSettings: how frameserve re-encodes (clips, overlay streams).
// H.264 (libx264, yuv420p so browsers can play it) + AAC.
#pragma once

#include <string>

namespace frameserve::media {

struct EncoderSettings {
  std::string x264_preset = "veryfast";
  int crf = 23;
  int audio_bitrate_kbps = 128;
  // Upper bound on the GOP of streamed fragmented MP4: each fragment is one
  // GOP, so this bounds how long a player waits for the next bytes.
  int max_gop_frames = 60;
};

}  // namespace frameserve::media
