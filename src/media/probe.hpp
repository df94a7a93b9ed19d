// Probing a video file with ffprobe: its streams and format (MediaInfo) and
// its packets (FrameIndex), without decoding where the packets' timestamps
// give presentation order, and with one decode pass where they do not.
//
// The command builders and parsers are pure; probe_media_file() runs them.
#pragma once

#include <functional>
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
// The decode pass: every frame the decoder outputs, with its packet's
// position and best-effort timestamp.
process::Command build_frame_scan_command(const std::string& path);

// Parses `ffprobe -show_format -show_streams -of json`. Errors:
// `invalid_argument` when the file has no video stream.
Result<MediaInfo> parse_probe_json(std::string_view json);

// Parses `-show_entries packet=pts,dts,pos,flags -of compact=p=0` lines.
// Packets flagged as discarded (`D`: hidden by an edit list) are kept and
// marked, since decoding still needs them; packets without a pts (AVI, MPEG
// program streams, raw streams) are marked `has_pts = false`. Cannot fail
// today; a Result for symmetry with the other parsers.
Result<std::vector<PacketInfo>> parse_packet_listing(std::string_view text);

// Parses `-show_entries frame=pkt_pos,best_effort_timestamp -of compact=p=0`
// lines (the empty lines of side data are skipped). A frame without a
// position gets pos -1 (from_decoded_frames refuses it).
std::vector<DecodedFrame> parse_frame_listing(std::string_view text);

// True when the demuxer can start reading at a packet's byte position
// (-skip_initial_bytes): formats without a header that later packets need
// (raw elementary streams, MPEG program and transport streams).
bool container_allows_byte_seek(const std::string& format_name);

// Told when indexing enters a stage: "packets" (the packet scan, whose
// length is not known ahead; `frames` 0) and, for files whose timestamps
// do not give the frame order, "decode" (the decode pass over `frames`
// video packets, about as long as decoding the file). Must not block.
using ProbeStage = std::function<void(const char* stage, int64_t frames)>;

// Probes `path` (made absolute), builds its frame index and fills
// size/mtime. Errors: `invalid_argument` for unreadable or non-video files.
Result<MediaFile> probe_media_file(const process::JobRunner& runner, const std::string& path,
                                   const ProbeStage& on_stage = nullptr);

}  // namespace frameserve::media
