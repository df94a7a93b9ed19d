// Probing a video file with ffprobe: its streams and format (MediaInfo) and
// its packets (FrameIndex), without decoding.
//
// The command builders and parsers are pure; probe_media_file() runs them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "media/frame_index.hpp"
#include "media/media_info.hpp"
#include "process/command.hpp"
#include "process/job_runner.hpp"

namespace frameserve::media {

// ffmpeg/ffprobe input argument for a local file: the "file:" prefix keeps a
// colon in the path from being read as a protocol name.
std::string ffmpeg_input_url(const std::string& absolute_path);

process::Command build_probe_command(const std::string& path);
process::Command build_packet_scan_command(const std::string& path);

// Parses `ffprobe -show_format -show_streams -of json`. Errors:
// `invalid_argument` when the file has no video stream.
Result<MediaInfo> parse_probe_json(std::string_view json);

// Parses `-show_entries packet=pts,dts,flags -of compact=p=0` lines. Packets
// flagged as discarded (`D`: hidden by an edit list) are kept and marked, since
// decoding still needs them. Errors: `invalid_argument` for packets without a
// pts (containers without presentation timestamps, such as AVI or raw H.264).
Result<std::vector<PacketInfo>> parse_packet_listing(std::string_view text);

// Probes `path` (made absolute), builds its frame index and fills
// size/mtime. Errors: `invalid_argument` for unreadable or non-video files.
Result<MediaFile> probe_media_file(const process::JobRunner& runner, const std::string& path);

}  // namespace frameserve::media
