#include <doctest/doctest.h>

#include "media/frame_index.hpp"
#include "media/probe.hpp"
#include "media/rational.hpp"

using namespace frameserve::media;

namespace {
PacketInfo packet(int64_t pts, int64_t dts, bool key) { return PacketInfo{pts, dts, true, key}; }
// A packet an edit list hides (ffprobe flag D).
PacketInfo hidden(int64_t pts, int64_t dts, bool key) { return PacketInfo{pts, dts, true, key, true}; }
}  // namespace

TEST_CASE("frames are sorted into presentation order") {
  // I P B B with pts 0 3 1 2 (decode order).
  std::vector<PacketInfo> packets = {packet(0, -2, true), packet(3, -1, false), packet(1, 0, false),
                                     packet(2, 1, false), packet(4, 2, true), packet(5, 3, false)};
  auto index = FrameIndex::from_packets(packets, Rational{1, 25});
  REQUIRE(index);
  CHECK(index->frame_count() == 6);
  for (int64_t n = 0; n < 6; ++n) CHECK(index->pts(n) == n);
  REQUIRE(index->keyframes().size() == 2);
  CHECK(index->keyframes()[1].frame == 4);
  CHECK(index->decode_start(3).frame == 0);
  CHECK(index->decode_start(4).frame == 4);
  CHECK(index->decode_start(5).frame == 4);
  CHECK(index->end_pts(5) == 6);
  CHECK(index->first_frame_at_or_after(3) == 3);
  CHECK(index->first_frame_at_or_after(100) == 6);
}

TEST_CASE("an open-GOP keyframe sends decoding one keyframe back") {
  // Keyframe at pts 4 is followed (in decode order) by pts 2 and 3: leading
  // pictures that reference the previous GOP.
  std::vector<PacketInfo> packets = {packet(0, 0, true), packet(1, 1, false), packet(4, 2, true),
                                     packet(2, 3, false), packet(3, 4, false), packet(5, 5, false)};
  auto index = FrameIndex::from_packets(packets, Rational{1, 25});
  REQUIRE(index);
  REQUIRE(index->keyframes().size() == 2);
  CHECK(index->keyframes()[1].open_gop);
  CHECK(index->decode_start(5).frame == 0);
  CHECK(index->decode_start(2).frame == 0);
}

TEST_CASE("packets before the first keyframe are dropped") {
  std::vector<PacketInfo> packets = {packet(7, 7, false), packet(10, 10, true), packet(11, 11, false)};
  auto index = FrameIndex::from_packets(packets, Rational{1, 1000});
  REQUIRE(index);
  CHECK(index->frame_count() == 2);
  CHECK(index->pts(0) == 10);
}

TEST_CASE("packets hidden by an edit list are decoded but never numbered") {
  // A cut mid-GOP: keyframe pts -3 and B-frames -2, -1 are hidden; the
  // shown frames 0..3 depend on them, the keyframe at pts 4 starts a GOP.
  std::vector<PacketInfo> packets = {hidden(-3, -5, true),  hidden(-1, -4, false), hidden(-2, -3, false),
                                     packet(1, -2, false), packet(0, -1, false),  packet(3, 0, false),
                                     packet(2, 1, false),  packet(4, 2, true),    packet(5, 3, false)};
  auto index = FrameIndex::from_packets(packets, Rational{1, 25});
  REQUIRE(index);
  CHECK(index->frame_count() == 6);
  for (int64_t n = 0; n < 6; ++n) CHECK(index->pts(n) == n);
  REQUIRE(index->keyframes().size() == 2);
  // Frames before the first shown keyframe decode from the hidden one.
  CHECK(index->decode_start(0).pts == -3);
  CHECK(index->decode_start(3).pts == -3);
  CHECK(index->decode_start(4).pts == 4);
  CHECK(index->decode_start(4).frame == 4);
  // A file that shows nothing at all has no frames.
  CHECK_FALSE(FrameIndex::from_packets({hidden(0, 0, true), hidden(1, 1, false)}, Rational{1, 25}));
}

TEST_CASE("invalid inputs") {
  CHECK_FALSE(FrameIndex::from_packets({}, Rational{1, 25}));
  CHECK_FALSE(FrameIndex::from_packets({packet(0, 0, false)}, Rational{1, 25}));
  CHECK_FALSE(FrameIndex::from_packets({packet(0, 0, true), packet(0, 1, false)}, Rational{1, 25}));
}

TEST_CASE("serialize round-trip and corruption") {
  std::vector<PacketInfo> packets = {packet(0, -2, true), packet(3003, -1, false), packet(1001, 0, false),
                                     packet(2002, 1, false), packet(4004, 2, true)};
  auto index = FrameIndex::from_packets(packets, Rational{1, 30000});
  REQUIRE(index);
  std::string bytes = index->serialize();
  auto back = FrameIndex::deserialize(bytes);
  REQUIRE(back);
  CHECK(back->frame_count() == index->frame_count());
  CHECK(back->time_base() == Rational{1, 30000});
  for (int64_t n = 0; n < back->frame_count(); ++n) CHECK(back->pts(n) == index->pts(n));
  CHECK(back->keyframes().size() == 2);
  CHECK_FALSE(FrameIndex::deserialize(bytes.substr(0, bytes.size() - 1)));
  CHECK_FALSE(FrameIndex::deserialize("nonsense"));
}

TEST_CASE("rational time helpers") {
  CHECK(parse_rational("30000/1001") == Rational{30000, 1001});
  CHECK(parse_rational("25") == Rational{25, 1});
  CHECK_FALSE(parse_rational("0/0"));
  CHECK(parse_seconds_to_us("1.443511") == 1443511);
  CHECK(parse_seconds_to_us("-0.007000") == -7000);
  CHECK(parse_seconds_to_us("12") == 12000000);
  CHECK(parse_seconds_to_us("0.1234567") == 123456);
  CHECK_FALSE(parse_seconds_to_us("abc"));
  CHECK(ticks_to_us_floor(90001, Rational{1, 90000}) == 1000011);
  CHECK(ticks_to_us_floor(-1, Rational{1, 90000}) == -12);
  CHECK(format_us_as_seconds(1443511) == "1.443511");
  CHECK(format_us_as_seconds(-7000) == "-0.007000");
}

TEST_CASE("ffprobe packet listing") {
  const char* listing =
      "pts=0|dts=-2002|flags=K_\n"
      "pts=3003|dts=-1001|flags=__\n"
      "\n"
      "pts=1001|dts=0|flags=_D\n"
      "pts=2002|dts=1001|flags=__|\n";
  auto packets = parse_packet_listing(listing);
  REQUIRE(packets);
  REQUIRE(packets->size() == 4);
  CHECK(packets->at(0).keyframe);
  CHECK(packets->at(0).dts == -2002);
  CHECK_FALSE(packets->at(1).discard);
  CHECK(packets->at(2).discard);
  CHECK(packets->at(3).pts == 2002);
  CHECK_FALSE(parse_packet_listing("pts=N/A|dts=0|flags=K_\n"));
}

TEST_CASE("ffprobe JSON") {
  const char* json = R"({"streams":[
      {"codec_type":"video","codec_name":"mjpeg","width":100,"height":100,"disposition":{"attached_pic":1},"time_base":"1/90000","avg_frame_rate":"0/0"},
      {"codec_type":"video","codec_name":"h264","width":1280,"height":720,"avg_frame_rate":"30000/1001","r_frame_rate":"30000/1001","time_base":"1/30000"},
      {"codec_type":"audio","codec_name":"aac"}],
    "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","start_time":"0.000000","duration":"5.014000"}})";
  auto info = parse_probe_json(json);
  REQUIRE(info);
  CHECK(info->video_codec == "h264");
  CHECK(info->width == 1280);
  CHECK(info->fps == Rational{30000, 1001});
  CHECK(info->time_base == Rational{1, 30000});
  CHECK(info->has_audio);
  CHECK(info->audio_codec == "aac");
  CHECK(info->duration_secs == doctest::Approx(5.014));
  CHECK_FALSE(parse_probe_json(R"({"streams":[{"codec_type":"audio"}],"format":{}})"));
  CHECK_FALSE(parse_probe_json("not json"));
}

TEST_CASE("ffprobe JSON: a quarter-turn display matrix swaps the picture size") {
  auto with_rotation = [](const char* rotation) {
    std::string json = std::string(R"({"streams":[{"codec_type":"video","codec_name":"h264","width":640,"height":360,)") +
                       R"("avg_frame_rate":"30/1","time_base":"1/15360","side_data_list":[{"side_data_type":"Display Matrix",)" +
                       R"("displaymatrix":"","rotation":)" + rotation + "}]}],\"format\":{\"start_time\":\"0.000000\"}}";
    return parse_probe_json(json);
  };
  for (const char* quarter : {"90", "-90", "270"}) {
    CAPTURE(quarter);
    auto info = with_rotation(quarter);
    REQUIRE(info);
    CHECK(info->width == 360);
    CHECK(info->height == 640);
  }
  for (const char* other : {"0", "180", "-180", "45"}) {
    CAPTURE(other);
    auto info = with_rotation(other);
    REQUIRE(info);
    CHECK(info->width == 640);
    CHECK(info->height == 360);
  }
}
