#include "media/probe.hpp"

#include <rapidjson/document.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "common/json_parse.hpp"
#include "common/text.hpp"

namespace frameserve::media {

std::string ffmpeg_input_url(const std::string& absolute_path) { return "file:" + absolute_path; }

process::Command build_probe_command(const std::string& path) {
  return {process::Tool::ffprobe,
          {"-v", "error", "-print_format", "json", "-show_format", "-show_streams", ffmpeg_input_url(path)}};
}

process::Command build_packet_scan_command(const std::string& path) {
  // "V" (capital) selects video streams that are not attached pictures, the
  // same stream as ffmpeg's -map 0:V:0.
  return {process::Tool::ffprobe,
          {"-v", "error", "-select_streams", "V:0", "-show_entries", "packet=pts,dts,pos,flags", "-of", "compact=p=0",
           ffmpeg_input_url(path)}};
}

process::Command build_frame_scan_command(const std::string& path) {
  return {process::Tool::ffprobe,
          // The decoder's own threads (ffprobe decodes on one by default):
          // frame threading changes neither the order nor the positions.
          {"-v", "error", "-threads", "auto", "-select_streams", "V:0", "-show_entries",
           "frame=pkt_pos,best_effort_timestamp", "-of", "compact=p=0", ffmpeg_input_url(path)}};
}

bool container_allows_byte_seek(const std::string& format_name) {
  for (const char* name : {"h264", "hevc", "mpegvideo", "m4v", "vc1", "cavsvideo", "mpeg", "mpegts"}) {
    if (format_name == name) return true;
  }
  return false;
}

namespace {
std::string member_string(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return "";
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  if (it->value.IsInt64()) return std::to_string(it->value.GetInt64());
  return "";
}

int member_int(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return (it != object.MemberEnd() && it->value.IsInt()) ? it->value.GetInt() : 0;
}

// The rotation of the stream's display matrix in degrees (ffprobe's
// "rotation", counter-clockwise), 0 when there is none.
double display_rotation(const rapidjson::Value& stream) {
  auto side_data = stream.FindMember("side_data_list");
  if (side_data == stream.MemberEnd() || !side_data->value.IsArray()) return 0;
  for (const auto& entry : side_data->value.GetArray()) {
    if (!entry.IsObject()) continue;
    auto rotation = entry.FindMember("rotation");
    if (rotation != entry.MemberEnd() && rotation->value.IsNumber()) return rotation->value.GetDouble();
  }
  return 0;
}

// True when ffmpeg's autorotation turns the picture a quarter turn, so that
// what it shows is the stored picture with width and height swapped. Like
// ffmpeg 5.1, angles within a degree of 90 or 270 count; other angles are
// not rotated by ffmpeg and therefore not by frameserve either.
bool turns_quarter(double rotation) {
  double angle = std::fmod(std::fabs(rotation), 360.0);
  return std::fabs(angle - 90) < 1.0 || std::fabs(angle - 270) < 1.0;
}

bool is_attached_picture(const rapidjson::Value& stream) {
  auto disposition = stream.FindMember("disposition");
  if (disposition == stream.MemberEnd() || !disposition->value.IsObject()) return false;
  return member_int(disposition->value, "attached_pic") != 0;
}
}  // namespace

Result<MediaInfo> parse_probe_json(std::string_view json) {
  // A hostile file decides much of what ffprobe prints: parsed like any
  // other outside JSON (common/json_parse.hpp).
  rapidjson::Document doc;
  if (parse_json(json, doc) != JsonParse::ok || !doc.IsObject()) {
    return invalid_argument("not_a_video", "ffprobe could not describe the file");
  }
  MediaInfo info;
  auto format = doc.FindMember("format");
  if (format == doc.MemberEnd() || !format->value.IsObject()) {
    return invalid_argument("not_a_video", "the file is not a recognised media file");
  }
  info.container = member_string(format->value, "format_name");
  info.start_time_us = parse_seconds_to_us(member_string(format->value, "start_time")).value_or(0);
  info.duration_secs = std::strtod(member_string(format->value, "duration").c_str(), nullptr);

  bool have_video = false;
  auto streams = doc.FindMember("streams");
  if (streams != doc.MemberEnd() && streams->value.IsArray()) {
    for (const auto& stream : streams->value.GetArray()) {
      if (!stream.IsObject()) continue;
      std::string type = member_string(stream, "codec_type");
      if (type == "video" && !have_video && !is_attached_picture(stream)) {
        have_video = true;
        info.video_codec = member_string(stream, "codec_name");
        info.width = member_int(stream, "width");
        info.height = member_int(stream, "height");
        // Every frame ffmpeg hands out is autorotated (phone video), so
        // frameserve's picture size, crops and detection boxes are in
        // displayed coordinates.
        if (turns_quarter(display_rotation(stream))) std::swap(info.width, info.height);
        auto fps = parse_rational(member_string(stream, "avg_frame_rate"));
        if (!fps) fps = parse_rational(member_string(stream, "r_frame_rate"));
        info.fps = fps.value_or(Rational{25, 1});
        info.time_base = parse_rational(member_string(stream, "time_base")).value_or(Rational{});
        info.reorder_depth = member_int(stream, "has_b_frames");
      } else if (type == "audio" && !info.has_audio) {
        info.has_audio = true;
        info.audio_codec = member_string(stream, "codec_name");
      }
    }
  }
  if (!have_video || info.width <= 0 || info.height <= 0) {
    return invalid_argument("not_a_video", "the file has no video stream");
  }
  if (!info.time_base.valid()) {
    return invalid_argument("not_a_video", "the video stream has no time base");
  }
  return info;
}

namespace {

// Walks ffprobe's compact listing (one `key=value|key=value` line per
// packet or frame): `on_field(key, value)` for every field of a non-empty
// line, then `on_line_end()`. Fields without '=' are passed over. Never fails.
template <typename OnField, typename OnLineEnd>
void for_each_listing_line(std::string_view text, OnField&& on_field, OnLineEnd&& on_line_end) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    for (std::string_view field : split(line, '|')) {
      size_t eq = field.find('=');
      if (eq == std::string_view::npos) continue;
      on_field(field.substr(0, eq), field.substr(eq + 1));
    }
    on_line_end();
  }
}

}  // namespace

Result<std::vector<PacketInfo>> parse_packet_listing(std::string_view text) {
  std::vector<PacketInfo> packets;
  packets.reserve(text.size() / 32);
  PacketInfo packet;
  packet.has_pts = false;
  for_each_listing_line(
      text,
      [&](std::string_view key, std::string_view value) {
        if (key == "pts") {
          if (auto v = parse_int64(value)) {
            packet.pts = *v;
            packet.has_pts = true;
          }
        } else if (key == "pos") {
          if (auto v = parse_int64(value)) packet.pos = *v;
        } else if (key == "dts") {
          if (auto v = parse_int64(value)) {
            packet.dts = *v;
            packet.has_dts = true;
          }
        } else if (key == "flags") {
          packet.keyframe = value.find('K') != std::string_view::npos;
          packet.discard = value.find('D') != std::string_view::npos;
        }
      },
      [&] {
        packets.push_back(packet);
        packet = PacketInfo();
        packet.has_pts = false;
      });
  return packets;
}

std::vector<DecodedFrame> parse_frame_listing(std::string_view text) {
  std::vector<DecodedFrame> frames;
  frames.reserve(text.size() / 40);
  DecodedFrame frame;
  bool is_frame = false;
  for_each_listing_line(
      text,
      [&](std::string_view key, std::string_view value) {
        if (key == "pkt_pos") {
          is_frame = true;
          if (auto v = parse_int64(value)) frame.pos = *v;
        } else if (key == "best_effort_timestamp") {
          is_frame = true;
          if (auto v = parse_int64(value)) {
            frame.timestamp = *v;
            frame.has_timestamp = true;
          }
        }
      },
      [&] {
        if (is_frame) frames.push_back(frame);
        frame = DecodedFrame();
        is_frame = false;
      });
  return frames;
}

Result<MediaFile> probe_media_file(const process::JobRunner& runner, const std::string& path,
                                   const ProbeStage& on_stage) {
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) {
    return invalid_argument("unreadable_file", "cannot open " + quote_for_message(path) + ": no such file");
  }
  MediaFile file;
  file.path = resolved;
  struct stat st {};
  if (::stat(file.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return invalid_argument("unreadable_file", quote_for_message(path) + " is not a regular file");
  }
  if (::access(file.path.c_str(), R_OK) != 0) {
    return invalid_argument("unreadable_file", quote_for_message(path) + " is not readable");
  }

  auto probe_json = runner.run_capture(build_probe_command(file.path), 4 << 20);
  if (!probe_json) {
    return invalid_argument("not_a_video", quote_for_message(path) + " is not a video file ffprobe can read");
  }
  auto info = parse_probe_json(probe_json.value());
  if (!info) {
    Error e = info.error();
    e.message = quote_for_message(path) + ": " + e.message;
    return e;
  }
  file.info = std::move(info.value());
  file.info.size_bytes = static_cast<int64_t>(st.st_size);
  file.info.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;

  // Scanning packets of a long film reads the whole file; allow for it.
  if (on_stage) on_stage("packets", 0);
  auto listing = runner.run_capture(build_packet_scan_command(file.path), size_t{1} << 30, std::chrono::minutes(30));
  if (!listing) return listing.error();
  auto packets = parse_packet_listing(listing.value());
  if (!packets) return packets.error();
  // Where the packets' pts cannot give presentation order, the decoder
  // says what it outputs: one decode pass (about as long as playing the
  // file at tens of times real time), then frames are numbered in that order.
  Result<FrameIndex> index = invalid_argument("no_video_packets", "the file has no video frames");
  if (FrameIndex::needs_decode_pass(packets.value(), file.info.reorder_depth > 0)) {
    if (on_stage) on_stage("decode", static_cast<int64_t>(packets->size()));
    auto decoded = runner.run_capture(build_frame_scan_command(file.path), size_t{1} << 30, std::chrono::minutes(60));
    if (!decoded) return decoded.error();
    std::vector<DecodedFrame> frames = parse_frame_listing(decoded.value());
    if (FrameIndex::timestamps_match_decoder(packets.value(), frames)) {
      index = FrameIndex::from_packets(packets.value(), file.info.time_base);
    } else {
      index = FrameIndex::from_decoded_frames(packets.value(), frames, file.info.time_base, file.info.fps,
                                              container_allows_byte_seek(file.info.container));
    }
  } else {
    index = FrameIndex::from_packets(packets.value(), file.info.time_base);
  }
  if (!index) return index.error();
  file.info.frame_count = index->frame_count();
  file.index = std::make_shared<const FrameIndex>(std::move(index.value()));
  return file;
}

}  // namespace frameserve::media
