// Table-driven tests of the pure ffmpeg argv builders: what each request
// turns into, argument by argument.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "media/ffmpeg_argv.hpp"
#include "media/frame_seeker.hpp"
#include "media/probe.hpp"

using namespace frameserve;
using namespace frameserve::media;

namespace {
// 300 frames, time base 1/12800, 25 fps, keyframes every 50 frames; the
// keyframe at 150 opens an open GOP (frame 148 is decoded after it).
MediaFile synthetic_file(bool audio = true, int64_t start_time_us = 0) {
  std::vector<PacketInfo> packets;
  for (int64_t n = 0; n < 300; ++n) {
    if (n == 148 || n == 149) continue;
    packets.push_back(PacketInfo{n * 512, n * 512, true, n % 50 == 0});
    if (n == 150) {
      packets.push_back(PacketInfo{148 * 512, 151 * 512, true, false});
      packets.push_back(PacketInfo{149 * 512, 152 * 512, true, false});
    }
  }
  MediaFile file;
  file.file_uuid = "aeed71342a899fe4b4c57b7d41bcb692";
  file.path = "/videos/film: a -test.mp4";
  file.info.width = 1280;
  file.info.height = 720;
  file.info.fps = Rational{25, 1};
  file.info.frame_count = 300;
  file.info.has_audio = audio;
  file.info.start_time_us = start_time_us;
  file.index = std::make_shared<const FrameIndex>(FrameIndex::from_packets(packets, Rational{1, 12800}).value());
  return file;
}

std::string joined(const process::Command& command) {
  std::string out;
  for (const std::string& a : command.args) out += (out.empty() ? "" : " ") + a;
  return out;
}
}  // namespace

TEST_CASE("seek plans: the keyframe shown at or before the frame, one further back for an open GOP") {
  MediaFile file = synthetic_file();
  struct Case {
    int64_t frame;
    int64_t keyframe;
    std::optional<int64_t> seek_us;
  };
  const Case cases[] = {
      {0, 0, std::nullopt}, {49, 0, std::nullopt}, {50, 50, 2000000},   {51, 50, 2000000},
      {149, 100, 4000000},  {150, 100, 4000000},   {151, 100, 4000000}, {299, 250, 10000000},
  };
  for (const Case& c : cases) {
    CAPTURE(c.frame);
    SeekPlan plan = plan_seek(file, c.frame);
    CHECK(plan.keyframe == c.keyframe);
    CHECK(plan.seek_us == c.seek_us);
  }
  // -ss counts from the file's start time.
  MediaFile late = synthetic_file(true, 1400000);
  CHECK(plan_seek(late, 60).seek_us == 600000);
  CHECK(plan_seek(late, 10).seek_us == std::nullopt);
}

TEST_CASE("thumbnail commands") {
  MediaFile file = synthetic_file();
  const std::string head = "-nostdin -hide_banner -nostats -loglevel error";
  const std::string input = "-copyts -i file:/videos/film: a -test.mp4 -map 0:V:0 -an -sn -dn";
  struct Case {
    const char* name;
    FrameRequest request;
    std::string expected;
  };
  FrameRequest crop;
  crop.frame = 60;
  crop.crop = CropRect{10, 20, 30, 40};
  crop.format = ImageFormat::png;
  FrameRequest scaled;
  scaled.frame = 10;
  scaled.width = 320;
  scaled.quality = 100;
  FrameRequest boxed;
  boxed.frame = 10;
  boxed.width = 100;
  boxed.height = 100;
  boxed.quality = 1;
  const Case cases[] = {
      {"plain JPEG", FrameRequest{},
       head + " " + input +
           " -vf select=eq(pts\\,0) -frames:v 1 -fps_mode passthrough -f image2pipe -c:v mjpeg -q:v 5 pipe:1"},
      {"crop to PNG", crop,
       head + " -ss 2.000000 " + input +
           " -vf select=eq(pts\\,30720),crop=30:40:10:20:exact=1 -frames:v 1 -fps_mode passthrough -f image2pipe"
           " -c:v png pipe:1"},
      {"width only", scaled,
       head + " " + input +
           " -vf select=eq(pts\\,5120),scale=320:-1 -frames:v 1 -fps_mode passthrough -f image2pipe -c:v mjpeg"
           " -q:v 2 pipe:1"},
      {"width and height", boxed,
       head + " " + input +
           " -vf select=eq(pts\\,5120),scale=100:100:force_original_aspect_ratio=decrease -frames:v 1 -fps_mode"
           " passthrough -f image2pipe -c:v mjpeg -q:v 31 pipe:1"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(joined(build_thumbnail_command(file, c.request)) == c.expected);
  }
}

TEST_CASE("clip, copy, decode and overlay-encode commands") {
  MediaFile file = synthetic_file();
  EncoderSettings encoder;
  FrameRange range{60, 99};
  struct Case {
    const char* name;
    process::Command command;
    std::string expected;
  };
  const Case cases[] = {
      {"clip with audio", build_clip_command(file, range, true, encoder),
       "-nostdin -hide_banner -nostats -loglevel error -ss 2.000000 -copyts -i file:/videos/film: a -test.mp4"
       " -map 0:V:0 -map 0:a:0 -vf select=between(pts\\,30720\\,50688),setpts=PTS-30720"
       " -af atrim=start=2.400000:end=4.000000,asetpts=PTS-2.400000/TB -sn -dn -frames:v 40 -fps_mode passthrough"
       " -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k -progress pipe:2 -flush_packets 1 -f mpegts pipe:1"},
      {"clip without audio", build_clip_command(file, range, false, encoder),
       "-nostdin -hide_banner -nostats -loglevel error -ss 2.000000 -copyts -i file:/videos/film: a -test.mp4"
       " -map 0:V:0 -vf select=between(pts\\,30720\\,50688),setpts=PTS-30720 -an -sn -dn -frames:v 40"
       " -fps_mode passthrough -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -progress pipe:2 -flush_packets 1 -f mpegts"
       " pipe:1"},
      {"stream copy", build_copy_range_command(file, range, true),
       "-nostdin -hide_banner -nostats -loglevel error -ss 2.000000 -i file:/videos/film: a -test.mp4 -map 0:V:0"
       " -map 0:a:0 -sn -dn -c copy -t 2.000000 -avoid_negative_ts disabled -progress pipe:2 -movflags"
       " frag_keyframe+empty_moov+default_base_moof+delay_moov -flush_packets 1 -f mp4 pipe:1"},
      {"stream copy to the end, no audio track", build_copy_range_command(synthetic_file(false), {250, 299}, true),
       "-nostdin -hide_banner -nostats -loglevel error -ss 10.000000 -i file:/videos/film: a -test.mp4 -map 0:V:0"
       " -an -sn -dn -c copy -avoid_negative_ts disabled -progress pipe:2 -movflags frag_keyframe+empty_moov+default_base_moof+delay_moov"
       " -flush_packets 1 -f mp4 pipe:1"},
      {"raw decode", build_raw_decode_command(file, range),
       "-nostdin -hide_banner -nostats -loglevel error -ss 2.000000 -copyts -i file:/videos/film: a -test.mp4"
       " -map 0:V:0 -an -sn -dn -vf select=between(pts\\,30720\\,50688) -frames:v 40 -fps_mode passthrough"
       " -pix_fmt yuv420p -blocksize 1048576 -f rawvideo pipe:1"},
      {"overlay encode, fMP4", build_overlay_encode_command(file, range, true, StreamFormat::fragmented_mp4, encoder),
       "-nostdin -hide_banner -nostats -loglevel error -probesize 32 -analyzeduration 0 -f matroska -i pipe:0"
       " -ss 2.000000 -copyts -vn -i file:/videos/film: a -test.mp4 -map 0:v:0 -map 1:a:0"
       " -af atrim=start=2.400000:end=4.000000,asetpts=PTS-2.400000/TB -sn -dn -fps_mode passthrough -c:v libx264"
       " -preset veryfast -crf 23 -pix_fmt yuv420p -g 50 -c:a aac -b:a 128k -progress pipe:2 -force_key_frames"
       " expr:eq(n_forced,0)*gte(t,0.1) -movflags frag_keyframe+empty_moov+default_base_moof+delay_moov"
       " -flush_packets 1 -f mp4 pipe:1"},
      {"overlay encode, MPEG-TS, silent",
       build_overlay_encode_command(file, range, false, StreamFormat::mpegts, encoder),
       "-nostdin -hide_banner -nostats -loglevel error -probesize 32 -analyzeduration 0 -f matroska -i pipe:0"
       " -map 0:v:0 -an -sn -dn -fps_mode passthrough -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -g 50"
       " -progress pipe:2 -flush_packets 1 -f mpegts pipe:1"},
      {"probe", build_probe_command("/v/a.mp4"),
       "-v error -print_format json -show_format -show_streams file:/v/a.mp4"},
      {"packet scan", build_packet_scan_command("/v/a.mp4"),
       "-v error -select_streams V:0 -show_entries packet=pts,dts,pos,flags -of compact=p=0 file:/v/a.mp4"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(joined(c.command) == c.expected);
  }
  CHECK(build_probe_command("/v/a.mp4").tool == process::Tool::ffprobe);
}

TEST_CASE("the argv vocabulary: each piece, spelled once") {
  MediaFile file = synthetic_file();
  const FrameIndex& index = *file.index;
  EncoderSettings encoder;
  encoder.x264_preset = "medium";
  encoder.crf = 20;
  encoder.audio_bitrate_kbps = 96;
  auto text = [](const ArgList& args) {
    std::string out;
    for (const std::string& a : args) out += (out.empty() ? "" : " ") + a;
    return out;
  };
  auto input = [&](int64_t frame, bool copyts, std::optional<int64_t> read_us, bool audio_only) {
    InputOptions options;
    options.copyts = copyts;
    options.read_us = read_us;
    options.audio_only = audio_only;
    ArgList args;
    append_seek_input(args, file, plan_seek(file, frame), options);
    return text(args);
  };
  struct Case {
    const char* name;
    std::string actual;
    std::string expected;
  };
  const Case cases[] = {
      {"quiet prefix", text(quiet_prefix()), "-nostdin -hide_banner -nostats -loglevel error"},
      {"input at the start: no seek", input(10, true, std::nullopt, false),
       "-copyts -i file:/videos/film: a -test.mp4"},
      {"seek preamble", input(60, true, std::nullopt, false), "-ss 2.000000 -copyts -i file:/videos/film: a -test.mp4"},
      {"seek preamble, open GOP: one keyframe back", input(150, true, std::nullopt, false),
       "-ss 4.000000 -copyts -i file:/videos/film: a -test.mp4"},
      {"bounded read", input(60, true, 1500000, false),
       "-ss 2.000000 -copyts -t 1.500000 -i file:/videos/film: a -test.mp4"},
      {"audio only", input(60, true, std::nullopt, true), "-ss 2.000000 -copyts -vn -i file:/videos/film: a -test.mp4"},
      {"stream copy input", input(60, false, std::nullopt, false), "-ss 2.000000 -i file:/videos/film: a -test.mp4"},
      {"exact frame", exact_frame_select(index, 7), "select=eq(pts\\,3584)"},
      {"exact range", exact_range_select(index, {60, 99}), "select=between(pts\\,30720\\,50688)"},
      {"audio trim", audio_trim_filter(index, {60, 99}), "atrim=start=2.400000:end=4.000000,asetpts=PTS-2.400000/TB"},
      {"crop", crop_filter(CropRect{10, 20, 300, 200}), "crop=300:200:10:20:exact=1"},
      {"scale, keep aspect", scale_filter(320, -1), "scale=320:-1"},
      {"scale, exact size", scale_filter(128, 128), "scale=128:128"},
      {"scale, fit inside", scale_filter(100, 100, true), "scale=100:100:force_original_aspect_ratio=decrease"},
      {"x264 block", text(x264_args(encoder)), "-c:v libx264 -preset medium -crf 20 -pix_fmt yuv420p"},
      {"aac block", text(aac_args(encoder)), "-c:a aac -b:a 96k"},
      {"MPEG-TS out", text(mpegts_pipe_output()), "-progress pipe:2 -flush_packets 1 -f mpegts pipe:1"},
      {"fMP4 out, copy", text(fragmented_mp4_pipe_output(false)),
       "-progress pipe:2 -movflags frag_keyframe+empty_moov+default_base_moof+delay_moov -flush_packets 1 -f mp4 pipe:1"},
      {"fMP4 out, encoding", text(fragmented_mp4_pipe_output(true)),
       "-progress pipe:2 -force_key_frames expr:eq(n_forced,0)*gte(t,0.1) -movflags frag_keyframe+empty_moov+default_base_moof+delay_moov"
       " -flush_packets 1 -f mp4 pipe:1"},
      {"seconds", seconds_text(30720, index.time_base()), "2.400000"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(c.actual == c.expected);
  }
}

namespace {
// A file without presentation timestamps, indexed by a decode pass: 100
// frames in 4 closed GOPs of 25, packet n at byte 1000 * n, keyframes with
// a dts (`timed`: AVI) or none (a raw stream, read from a byte position).
MediaFile decode_order_file(bool timed, bool shared_position = false) {
  std::vector<PacketInfo> packets;
  std::vector<DecodedFrame> frames;
  for (int64_t n = 0; n < 100; ++n) {
    PacketInfo p;
    p.pos = 1000 * n;
    p.keyframe = n % 25 == 0;
    p.has_pts = false;
    p.has_dts = timed;
    p.dts = n;
    packets.push_back(p);
    frames.push_back(DecodedFrame{p.pos, false, 0});
  }
  // Frame 31 decodes from the same packet as frame 30 (a packed B-frame).
  if (shared_position) frames[31].pos = frames[30].pos;
  MediaFile file;
  file.path = "/videos/old.avi";
  file.info.width = 320;
  file.info.height = 240;
  file.info.fps = Rational{25, 1};
  file.info.frame_count = 100;
  file.index = std::make_shared<const FrameIndex>(
      FrameIndex::from_decoded_frames(packets, frames, Rational{1, 25}, Rational{25, 1}, !timed).value());
  return file;
}
}  // namespace

TEST_CASE("decode_order files: seek to the keyframe by time or by byte, pick the frame by its packet position") {
  const std::string head = "-nostdin -hide_banner -nostats -loglevel error";
  const std::string tail =
      " -map 0:V:0 -an -sn -dn -vf select=between(pos\\,59936\\,60000) -frames:v 1 -fps_mode passthrough"
      " -f image2pipe -c:v png pipe:1";
  FrameRequest request;
  request.frame = 60;
  request.format = ImageFormat::png;
  // AVI: the keyframe's dts (frame slot 50) is where -ss lands.
  MediaFile avi = decode_order_file(true);
  CHECK(joined(build_thumbnail_command(avi, request)) ==
        head + " -ss 2.000000 -noaccurate_seek -copyts -i file:/videos/old.avi" + tail);
  // A raw stream: no time to seek to; reading starts at the keyframe's byte.
  MediaFile raw = decode_order_file(false);
  SeekPlan plan = plan_seek(raw, 60);
  CHECK(plan.keyframe == 50);
  CHECK_FALSE(plan.seek_us);
  CHECK(plan.skip_bytes == 50000);
  CHECK(joined(build_thumbnail_command(raw, request)) ==
        head + " -skip_initial_bytes 50000 -noaccurate_seek -copyts -i file:/videos/old.avi" + tail);
  // In the first GOP nothing is skipped.
  CHECK_FALSE(plan_seek(raw, 10).skip_bytes);

  // The second frame decoded from one packet: counted among that packet's.
  MediaFile packed = decode_order_file(true, true);
  CHECK(exact_frame_select(*packed.index, 30) == "select=between(pos\\,29936\\,30000)");
  CHECK(exact_frame_select(*packed.index, 31) ==
        "select=eq(st(1\\,ld(1)+gte(st(0\\,ld(0)+between(pos\\,29936\\,30000))\\,2))\\,1)");
  // A range runs from its first frame on, the count limited by -frames:v.
  CHECK(exact_range_select(*avi.index, FrameRange{60, 69}) ==
        "select=gte(st(1\\,ld(1)+gte(st(0\\,ld(0)+between(pos\\,59936\\,60000))\\,1))\\,1)");
  CHECK(rebase_pts_filter(*avi.index, FrameRange{60, 69}, avi.info.fps) == "setpts=N*1/(25*TB)");
}
