#include "support/av_sync.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "support/media_checks.hpp"
#include "support/test_env.hpp"

namespace frameserve::testing {

namespace {
// One value per frame from ffmpeg's metadata filter printing to stdout:
// "frame:N pts:P pts_time:T" followed by "KEY=VALUE".
struct Sample {
  double time;  // seconds (printed with 6 significant digits)
  int64_t pts;  // in the filter link's time base: samples, for decoded audio
  double value;
};

std::vector<Sample> parse_metadata_print(const std::string& out, const std::string& key) {
  std::vector<Sample> samples;
  std::istringstream lines(out);
  std::string line;
  double time = NAN;
  int64_t pts = 0;
  while (std::getline(lines, line)) {
    size_t at = line.find("pts_time:");
    size_t pts_at = line.find(" pts:");
    if (at != std::string::npos && pts_at != std::string::npos) {
      time = std::strtod(line.c_str() + at + 9, nullptr);
      pts = std::strtoll(line.c_str() + pts_at + 5, nullptr, 10);
    } else if (line.rfind(key + "=", 0) == 0 && !std::isnan(time)) {
      // strtod reads "-inf" too (a silent chunk's peak level).
      samples.push_back({time, pts, std::strtod(line.c_str() + key.size() + 1, nullptr)});
      time = NAN;
    }
  }
  return samples;
}

// -copyts: the timestamps are the demuxer's, not rebased by the ffmpeg CLI.
std::vector<std::string> decode_prefix() {
  return {ffmpeg_path(), "-nostdin", "-v", "error", "-copyts", "-i", "pipe:0"};
}

// White frames have a mean luma near 255; the fixture's scene stays under 140.
constexpr double k_flash_luma = 200;
// A 16-sample chunk of a 1 kHz tone at 48 kHz always holds a sample above
// half the tone's amplitude (-6 dB), so the onset is the first chunk
// reaching that level, found to within a third of a millisecond.
constexpr int k_chunk_samples = 16;
constexpr double k_onset_below_peak_db = 6;
constexpr double k_silence_below_peak_db = 30;
}  // namespace

FlashBeepTimes measure_flashes_and_beeps(const std::string& bytes) {
  FlashBeepTimes times;
  std::vector<std::string> video = decode_prefix();
  video.insert(video.end(), {"-map", "0:v:0", "-vf", "signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-",
                             "-f", "null", "-"});
  CommandResult v = run_command(video, bytes);
  std::vector<std::string> audio = decode_prefix();
  audio.insert(audio.end(),
               {"-map", "0:a:0", "-af",
                "asetnsamples=n=" + std::to_string(k_chunk_samples) +
                    ":p=0,astats=metadata=1:reset=1,ametadata=print:key=lavfi.astats.Overall.Peak_level:file=-",
                "-f", "null", "-"});
  CommandResult a = run_command(audio, bytes);
  if (v.exit_code != 0 || a.exit_code != 0) {
    times.error = "ffmpeg could not decode the stream: " + v.err + a.err;
    return times;
  }

  bool was_white = false;
  for (const Sample& s : parse_metadata_print(v.out, "lavfi.signalstats.YAVG")) {
    bool white = s.value > k_flash_luma;
    if (white && !was_white) times.flashes.push_back(s.time);
    was_white = white;
  }

  std::vector<Sample> chunks = parse_metadata_print(a.out, "lavfi.astats.Overall.Peak_level");
  double loudest = -INFINITY;
  for (const Sample& s : chunks) loudest = std::max(loudest, s.value);
  // A beep counts only after silence: a stream that starts inside a beep
  // has no onset to judge there.
  // ffmpeg times decoded audio in samples (time base 1/sample rate), so
  // the rate is the latest chunk's pts over its time, and played back to
  // back, chunk i starts i * k_chunk_samples samples after the first.
  double sample_rate = 0;
  for (const Sample& s : chunks) {
    if (s.time > 0.5) sample_rate = std::round(static_cast<double>(s.pts) / s.time);
  }
  if (sample_rate <= 0) {
    times.error = "the audio is too short to tell its sample rate";
    return times;
  }
  bool sounding = true;
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Sample& s = chunks[i];
    if (!sounding && s.value >= loudest - k_onset_below_peak_db) {
      times.beeps.push_back(static_cast<double>(s.pts) / sample_rate);
      times.beeps_played.push_back(static_cast<double>(chunks.front().pts + static_cast<int64_t>(i) * k_chunk_samples) /
                                   sample_rate);
      sounding = true;
    } else if (s.value < loudest - k_silence_below_peak_db) {
      sounding = false;
    }
  }
  return times;
}

std::vector<double> av_offsets_ms(const std::vector<double>& flashes, const std::vector<double>& beeps) {
  std::vector<double> offsets;
  if (beeps.empty()) return offsets;
  for (double flash : flashes) {
    double nearest = beeps.front();
    for (double beep : beeps) {
      if (std::abs(beep - flash) < std::abs(nearest - flash)) nearest = beep;
    }
    offsets.push_back((nearest - flash) * 1000.0);
  }
  return offsets;
}

}  // namespace frameserve::testing
