// Helpers that judge media with the real ffmpeg: the reference frame
// (`select=eq(n\,N)` decoded from the start, the definition of "frame N"),
// decoding images and streams to raw pixels, and counting child processes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/wait_until.hpp"

namespace frameserve::testing {

std::string ffmpeg_path();
std::string ffprobe_path();

// Raw RGB24 pixels of frame N as `ffmpeg -i FILE -vf select=eq(n\,N)` yields it
// (or `pix_fmt`, e.g. rgb48le for sources deeper than 8 bits).
std::string reference_frame_rgb(const std::string& path, int64_t frame, const std::string& pix_fmt = "rgb24");
// Raw RGB24 (or `pix_fmt`) pixels of an encoded image (PNG/JPEG bytes),
// optionally scaled.
std::string decode_image_rgb(const std::string& image, int width = 0, int height = 0,
                             const std::string& pix_fmt = "rgb24");
// Every decoded frame of a media byte stream (TS, MP4...) at WxH, as RGB24
// or, with pix_fmt "yuv444p", as three full-size planes Y, U, V.
std::vector<std::string> decode_stream_frames(const std::string& bytes, int width, int height,
                                              const std::string& pix_fmt = "rgb24");
// The same for a file or URL that ffmpeg opens itself (an HLS playlist URL
// is played by ffmpeg's HLS client; a source file decoded from its start is
// every frame N as `select=eq(n\,N)` defines it).
std::vector<std::string> decode_source_frames(const std::string& path_or_url, int width, int height,
                                              const std::string& pix_fmt = "rgb24");
// ffprobe's description of a media byte stream: "video:48,audio:130".
std::string probe_stream_counts(const std::string& bytes);

double psnr(const std::string& a, const std::string& b);
std::string sha256_hex(const std::string& data);

// Children of this process whose command name is `name` (e.g. "ffmpeg"),
// and zombies among all our children.
int count_children(const std::string& name);
int count_zombie_children();
// Waits (wait_until) for this process to have no ffmpeg child and no
// zombie child; false when some are still there after `within`.
bool ffmpeg_children_gone(std::chrono::milliseconds within = k_patience);

}  // namespace frameserve::testing
