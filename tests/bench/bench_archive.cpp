// Issue 21 §2 and §3: the archive kinds whose timestamps do not give the
// frame order, so that `file add` numbers their frames by a decode pass.
// Each is made once (kept in var/bench/) from the 10-minute 1280x720 source
// the other sections use, so every kind has the same pictures and length:
// an XviD AVI with B-frames, a DVD VOB (MPEG-2 with B-frames and AC-3) and a
// raw H.264 elementary stream (the source's own H.264, GOP 250).
#include <unistd.h>

#include <cstdio>

#include "bench/bench_sections.hpp"
#include "common/text.hpp"

namespace frameserve::bench {

namespace {
struct ArchiveKind {
  const char* what;
  const char* file;
  std::vector<std::string> encode;  // ffmpeg output options from the source
};

const ArchiveKind k_kinds[] = {
    {"XviD AVI with B-frames",
     "bench720_xvid.avi",
     {"-map", "0:v", "-map", "0:a", "-c:v", "mpeg4", "-vtag", "XVID", "-q:v", "4", "-bf", "2", "-g", "250", "-c:a",
      "mp2", "-b:a", "128k"}},
    {"DVD VOB",
     "bench720.vob",
     {"-map", "0:v", "-map", "0:a", "-c:v", "mpeg2video", "-q:v", "4", "-bf", "2", "-g", "15", "-c:a", "ac3", "-b:a",
      "192k", "-f", "vob"}},
    {"raw H.264", "bench720.h264", {"-map", "0:v", "-c", "copy", "-f", "h264"}},
};

constexpr double k_duration_secs = 600;
constexpr int64_t k_late_frame = 14900;
constexpr int64_t k_early_frame = 100;
}  // namespace

void bench_archive_kinds(const SectionContext& context) {
  say("== archive kinds numbered by a decode pass (the 10-minute 720p source as XviD AVI, DVD VOB, raw H.264)");
  for (const ArchiveKind& kind : k_kinds) {
    std::string path = context.dir + "/" + kind.file;
    if (::access(path.c_str(), R_OK) != 0) {
      say(std::string("  making ") + kind.file + " (once)...");
      std::vector<std::string> argv = {g_ffmpeg, "-nostdin", "-v", "error", "-y", "-i", context.video};
      argv.insert(argv.end(), kind.encode.begin(), kind.encode.end());
      // The muxer is named by the options or by the final extension, not
      // by the temporary name.
      std::string part = context.dir + "/part." + kind.file;
      argv.push_back(part);
      must(argv);
      std::rename(part.c_str(), path.c_str());
    }

    // Registration: the packet scan and the decode pass.
    auto t0 = Clock::now();
    std::string uuid(trim(cli({"file", "add", path}).out));
    double registered = since(t0);
    record(std::string("file add, ") + kind.what + " (10 min) vs its duration", secs(registered), secs(k_duration_secs),
           registered / k_duration_secs, "of it", "<= 0.10x", registered / k_duration_secs <= 0.10);

    std::string api = "/api/v1/file/" + uuid + "/thumbnail?frame=";
    time_get(context.port, api + std::to_string(k_late_frame));  // the catalogue loads the index once
    double late = median(repeat(5, [&] { return time_get(context.port, api + std::to_string(k_late_frame)).total; }));
    double early = median(repeat(5, [&] { return time_get(context.port, api + std::to_string(k_early_frame)).total; }));
    // What a user would type: seek to the frame's time (25 fps), take one frame.
    double bare = median(repeat(5, [&] {
      return time_command({g_ffmpeg, "-nostdin", "-v", "error", "-ss", format_fixed(k_late_frame / 25.0, 3), "-i", path,
                           "-frames:v", "1", "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "5", "pipe:1"})
          .total;
    }));
    record(std::string("thumbnail late vs early frame, ") + kind.what, secs(late), secs(early), late / early,
           "the time", "<= 1.2x", late / early <= 1.2);
    record(std::string("thumbnail late frame vs bare ffmpeg -ss T, ") + kind.what, secs(late), secs(bare), late / bare,
           "the time", "<= 1.3x", late / bare <= 1.3);
  }
}

}  // namespace frameserve::bench
