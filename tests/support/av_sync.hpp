// A/V sync judged the way a player hears and sees it: a media byte stream is
// decoded by the real ffmpeg (libavformat + libavcodec, timestamps kept as
// the demuxer presents them, edit lists and priming applied), the
// presentation time of every white flash frame and the onset of every beep
// are found, and each flash is paired with its nearest beep.
//
// A beep's onset is measured twice: by the decoded audio's timestamps, and
// as a player that plays samples back to back from the first audio frame's
// timestamp hears it (Chromium's MSE does; so does any PCM sink). The two
// differ when the audio track has a gap in its timestamps: ffmpeg 5.1's
// fragmented MP4 without an edit list stretches the first (priming) AAC
// sample over the video's B-frame delay, which timestamps honour and such
// players do not. No doctest here (the bench links tests/support too).
#pragma once

#include <string>
#include <vector>

namespace frameserve::testing {

struct FlashBeepTimes {
  std::vector<double> flashes;       // seconds: pts of each frame that turns white
  std::vector<double> beeps;         // seconds: onset of each beep after silence, by its timestamp
  std::vector<double> beeps_played;  // the same onsets with samples played back to back
  std::string error;                 // non-empty when ffmpeg could not decode the bytes
};

// Decodes `bytes` (MP4, fragmented MP4, MPEG-TS...) twice with ffmpeg and
// returns the flash and beep times; on a decoding failure, `error` says why
// and the lists are empty.
FlashBeepTimes measure_flashes_and_beeps(const std::string& bytes);

// For every flash, the nearest of `beeps`' onsets minus the flash's time, in
// milliseconds (negative: the sound comes early). Empty when there are no beeps.
std::vector<double> av_offsets_ms(const std::vector<double>& flashes, const std::vector<double>& beeps);

}  // namespace frameserve::testing
