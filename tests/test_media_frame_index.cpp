#include <doctest/doctest.h>

#include <optional>

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
                                     packet(2, 1, false), packet(4, 2, true),   packet(5, 3, false)};
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
  std::vector<PacketInfo> packets = {packet(0, 0, true),  packet(1, 1, false), packet(4, 2, true),
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
  std::vector<PacketInfo> packets = {hidden(-3, -5, true), hidden(-1, -4, false), hidden(-2, -3, false),
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
  // No pts (AVI, program and raw streams): kept, marked, with its position.
  auto untimed = parse_packet_listing("pts=N/A|dts=0|pos=4096|flags=K_\n");
  REQUIRE(untimed);
  REQUIRE(untimed->size() == 1);
  CHECK_FALSE(untimed->at(0).has_pts);
  CHECK(untimed->at(0).pos == 4096);
  CHECK(untimed->at(0).has_dts);
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
    std::string json =
        std::string(R"({"streams":[{"codec_type":"video","codec_name":"h264","width":640,"height":360,)") +
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

namespace {
// A packet as an AVI or program stream gives it: maybe no pts, a position.
PacketInfo at(int64_t pos, bool key, std::optional<int64_t> pts = std::nullopt,
              std::optional<int64_t> dts = std::nullopt) {
  PacketInfo p;
  p.pos = pos;
  p.keyframe = key;
  p.has_pts = pts.has_value();
  p.pts = pts.value_or(0);
  p.has_dts = dts.has_value();
  p.dts = dts.value_or(0);
  return p;
}
DecodedFrame decoded(int64_t pos, std::optional<int64_t> timestamp = std::nullopt) {
  return DecodedFrame{pos, timestamp.has_value(), timestamp.value_or(0)};
}
}  // namespace

TEST_CASE("which files need a decode pass: what their packets' timestamps can and cannot say") {
  // Presentation timestamps that sort into order: no decoding.
  CHECK_FALSE(FrameIndex::needs_decode_pass({packet(0, -1, true), packet(2, 0, false), packet(1, 1, false)}, true));
  // A packet without a pts (AVI B-frames, program streams, raw streams).
  CHECK(FrameIndex::needs_decode_pass({at(0, true, 0, 0), at(10, false, std::nullopt, 1)}, true));
  // Two frames with one pts.
  CHECK(FrameIndex::needs_decode_pass({packet(0, 0, true), packet(1, 1, false), packet(1, 2, false)}, false));
  // pts equal to dts everywhere: fine for a codec that never reorders, not
  // for one that does (a camera MP4 without ctts).
  std::vector<PacketInfo> flat = {packet(0, 0, true), packet(1, 1, false), packet(2, 2, false)};
  CHECK_FALSE(FrameIndex::needs_decode_pass(flat, false));
  CHECK(FrameIndex::needs_decode_pass(flat, true));
  // Hidden packets before the first keyframe do not count.
  CHECK_FALSE(FrameIndex::needs_decode_pass({at(0, false), packet(0, 0, true)}, false));

  // After the pass: sorted pts that agree with the decoder keep the
  // timestamp index; a decoder that reorders them does not.
  std::vector<PacketInfo> flat_pos = flat;
  for (size_t i = 0; i < flat_pos.size(); ++i) flat_pos[i].pos = static_cast<int64_t>(i) * 100;
  CHECK(FrameIndex::timestamps_match_decoder(flat_pos, {decoded(0), decoded(100), decoded(200)}));
  CHECK_FALSE(FrameIndex::timestamps_match_decoder(flat_pos, {decoded(0), decoded(200), decoded(100)}));
  CHECK_FALSE(FrameIndex::timestamps_match_decoder(flat_pos, {decoded(0), decoded(100)}));
}

TEST_CASE("a decode_order index numbers frames as the decoder outputs them") {
  // Decode order I0 P3 B1 B2 | I6 (open GOP: B4 B5 decoded after it) P9 B7
  // B8; AVI-like: keyframes and P-frames have a dts, B-frames nothing.
  std::vector<PacketInfo> packets = {at(0, true, std::nullopt, 0),
                                     at(100, false, std::nullopt, 1),
                                     at(200, false),
                                     at(300, false),
                                     at(400, true, std::nullopt, 4),
                                     at(500, false),
                                     at(600, false),
                                     at(700, false, std::nullopt, 7),
                                     at(800, false),
                                     at(900, false)};
  std::vector<DecodedFrame> frames = {decoded(0),   decoded(200), decoded(300), decoded(100), decoded(500),
                                      decoded(600), decoded(400), decoded(800), decoded(900), decoded(700)};
  auto index = FrameIndex::from_decoded_frames(packets, frames, Rational{1, 25}, Rational{25, 1}, false);
  REQUIRE(index);
  CHECK(index->indexing() == Indexing::decode_order);
  CHECK(std::string(indexing_name(index->indexing())) == "decode_order");
  CHECK(index->frame_count() == 10);
  CHECK(index->pos(3) == 100);
  CHECK(index->pos(6) == 400);
  // No decoder timestamps: times from the frame rate.
  for (int64_t n = 0; n < 10; ++n) CHECK(index->pts(n) == n);
  REQUIRE(index->keyframes().size() == 2);
  CHECK(index->keyframes()[1].frame == 6);
  CHECK(index->keyframes()[1].pos == 400);
  CHECK(index->keyframes()[1].open_gop);
  CHECK(index->keyframes()[1].seekable_by_time);
  CHECK(index->keyframes()[1].pts == 4);  // its dts: AVI seeks by it
  CHECK(index->decode_start(9).frame == 0);
  CHECK(index->decode_start(5).frame == 0);

  // Decoder timestamps that increase are the times.
  std::vector<DecodedFrame> timed = frames;
  for (size_t n = 0; n < timed.size(); ++n) timed[n] = decoded(frames[n].pos, 3600 * static_cast<int64_t>(n) + 48600);
  auto real = FrameIndex::from_decoded_frames(packets, timed, Rational{1, 90000}, Rational{25, 1}, true);
  REQUIRE(real);
  CHECK(real->pts(2) == 48600 + 7200);
  CHECK(real->byte_seek());

  // Stored and read back, positions included.
  auto back = FrameIndex::deserialize(index->serialize());
  REQUIRE(back);
  CHECK(back->indexing() == Indexing::decode_order);
  CHECK(back->frame_count() == 10);
  for (int64_t n = 0; n < 10; ++n) CHECK(back->pos(n) == index->pos(n));
  REQUIRE(back->keyframes().size() == 2);
  CHECK(back->keyframes()[1].pos == 400);
  CHECK(back->keyframes()[1].open_gop);

  // A frame without a packet position (a program stream's picture that
  // starts inside another's PES packet) is found as the one after the
  // nearest frame with one, no earlier than its keyframe.
  std::vector<DecodedFrame> lost = frames;
  lost[4].pos = -1;
  lost[7].pos = -1;
  lost[6].pos = -1;
  auto anchored = FrameIndex::from_decoded_frames(packets, lost, Rational{1, 25}, Rational{25, 1}, false);
  REQUIRE(anchored);
  CHECK(anchored->locate(3).anchor_pos == 100);
  CHECK(anchored->locate(3).offset == 0);
  CHECK(anchored->locate(4).anchor_pos == 100);
  CHECK(anchored->locate(4).offset == 1);
  CHECK_FALSE(anchored->locate(4).from_start);
  // The keyframe at 400 lost its frame's position: it is no place to start,
  // and frame 7 counts from frame 5, decoding from the first keyframe.
  CHECK(anchored->keyframes().size() == 1);
  CHECK(anchored->locate(7).anchor_pos == 600);
  CHECK(anchored->locate(7).offset == 2);
  CHECK_FALSE(FrameIndex::from_decoded_frames(packets, {}, Rational{1, 25}, Rational{25, 1}, false));
}

TEST_CASE("a decode_order index: raw streams, shared positions, hidden keyframes") {
  // A raw stream: no timestamps at all; two frames from one position.
  std::vector<PacketInfo> packets = {at(0, true), at(50, false), at(90, true), at(120, false)};
  std::vector<DecodedFrame> frames = {decoded(0), decoded(50), decoded(50), decoded(90), decoded(120)};
  auto index = FrameIndex::from_decoded_frames(packets, frames, Rational{1, 1200000}, Rational{25, 1}, true);
  REQUIRE(index);
  CHECK(index->pts(1) == 48000);
  CHECK(index->pos_ordinal(1) == 0);
  CHECK(index->pos_ordinal(2) == 1);
  CHECK(index->pos_ordinal(4) == 0);
  REQUIRE(index->keyframes().size() == 2);
  CHECK_FALSE(index->keyframes()[1].seekable_by_time);
  CHECK(index->keyframes()[1].frame == 3);

  // A keyframe the decoder hides (edit list): numbered by the first frame
  // shown after it, and still a place to start.
  std::vector<PacketInfo> cut = {at(0, true, -2, -2), at(10, false, -1, -1), at(20, false, 0, 0), at(30, false, 1, 1)};
  auto hidden_key =
      FrameIndex::from_decoded_frames(cut, {decoded(30), decoded(20)}, Rational{1, 25}, Rational{25, 1}, false);
  REQUIRE(hidden_key);
  REQUIRE(hidden_key->keyframes().size() == 1);
  CHECK(hidden_key->keyframes()[0].frame == 0);
  CHECK(hidden_key->decode_start(1).pos == 0);
}

TEST_CASE("version-1 indexes (timestamps only) are still read") {
  std::string v1 = "FSIX";
  auto put = [&](int64_t value) {
    for (int i = 0; i < 8; ++i) v1.push_back(static_cast<char>((static_cast<uint64_t>(value) >> (8 * i)) & 0xff));
  };
  for (int64_t v : {1, 1, 25, 3, 1, 0, 1, 2, 0, 0, 0, 0}) put(v);
  auto index = FrameIndex::deserialize(v1);
  REQUIRE(index);
  CHECK(index->indexing() == Indexing::timestamps);
  CHECK(index->frame_count() == 3);
  CHECK(index->pts(2) == 2);
  REQUIRE(index->keyframes().size() == 1);
  CHECK(index->keyframes()[0].seekable_by_time);
  CHECK_FALSE(FrameIndex::deserialize(v1.substr(0, v1.size() - 8)));
}

TEST_CASE("ffprobe frame listing: positions and best-effort timestamps, side data skipped") {
  const char* listing =
      "best_effort_timestamp=48600|pkt_pos=29|\n"
      "\n"
      "best_effort_timestamp=N/A|pkt_pos=16398\n"
      "best_effort_timestamp=52200|pkt_pos=N/A\n";
  std::vector<DecodedFrame> frames = parse_frame_listing(listing);
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].pos == 29);
  CHECK(frames[0].has_timestamp);
  CHECK(frames[0].timestamp == 48600);
  CHECK_FALSE(frames[1].has_timestamp);
  CHECK(frames[1].pos == 16398);
  CHECK(frames[2].pos == -1);
}
