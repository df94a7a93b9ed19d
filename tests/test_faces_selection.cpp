// Pure parts of face selection: the blur command, its output, the ranking,
// and the square around a face.
#include <doctest/doctest.h>

#include <cmath>

#include "faces/blur_measure.hpp"
#include "faces/face_service.hpp"
#include "media/frame_index.hpp"

using namespace frameserve;
using namespace frameserve::faces;

namespace {
media::MediaFile synthetic_file() {
  // 100 frames at 25 fps, keyframes every 25 frames, no B-frames.
  std::vector<media::PacketInfo> packets;
  for (int64_t n = 0; n < 100; ++n) packets.push_back(media::PacketInfo{n, n, true, n % 25 == 0});
  media::MediaFile file;
  file.path = "/videos/a:b.mp4";
  file.info.width = 640;
  file.info.height = 360;
  file.info.frame_count = 100;
  file.index = std::make_shared<const media::FrameIndex>(media::FrameIndex::from_packets(packets, {1, 25}).value());
  return file;
}

FaceCandidate face(int64_t frame, int x, int y, int w, int h, double confidence) {
  FaceCandidate c;
  c.frame_number = frame;
  c.trace_id = 7;
  c.x = x;
  c.y = y;
  c.width = w;
  c.height = h;
  c.confidence = confidence;
  return c;
}
}  // namespace

TEST_CASE("one ffmpeg run measures every candidate, one input per keyframe group") {
  media::MediaFile file = synthetic_file();
  std::vector<FaceCandidate> candidates = {face(30, 10, 20, 50, 60, 0.9), face(31, 12, 20, 50, 60, 0.8),
                                           face(80, 0, 0, 33, 33, 0.7)};
  process::Command command = build_blur_command(file, candidates);
  CHECK(command.tool == process::Tool::ffmpeg);
  std::vector<std::string> inputs;
  for (size_t i = 0; i + 1 < command.args.size(); ++i) {
    if (command.args[i] == "-i") inputs.push_back(command.args[i + 1]);
  }
  REQUIRE(inputs.size() == 2);  // frames 30 and 31 share the keyframe at 25
  CHECK(inputs[0] == "file:/videos/a:b.mp4");
  auto graph = std::find(command.args.begin(), command.args.end(), "-filter_complex");
  REQUIRE(graph != command.args.end());
  const std::string& g = *(graph + 1);
  CHECK(g.find("[0:V:0]split=2[s0][s1];") != std::string::npos);
  CHECK(g.find("[s0]select=eq(pts\\,30),crop=50:60:10:20:exact=1,scale=128:128,setpts=0/TB[c0];") != std::string::npos);
  CHECK(g.find("[1:V:0]select=eq(pts\\,80),crop=33:33:0:0:exact=1,scale=128:128,setpts=2/TB[c2];") !=
        std::string::npos);
  CHECK(g.find("[c0][c1][c2]interleave=nb_inputs=3,blurdetect,metadata=mode=print") != std::string::npos);
  // -ss for the second group: keyframe 75 at 3 s.
  CHECK(std::find(command.args.begin(), command.args.end(), "3.000000") != command.args.end());
}

TEST_CASE("blurdetect output is read per candidate; NaN means unmeasured") {
  const char* output =
      "frame:0    pts:0       pts_time:0\nlavfi.blur=12.478609\n"
      "frame:1    pts:1       pts_time:2\nlavfi.blur=nan\n"
      "frame:2    pts:33      pts_time:1\nlavfi.blur=5.297843\n";
  auto values = parse_blur_output(output, 4);
  REQUIRE(values.size() == 4);
  CHECK(values[0] == doctest::Approx(12.478609));
  CHECK(values[1] == doctest::Approx(5.297843));
  CHECK_FALSE(values[2]);
  CHECK_FALSE(values[3]);
}

TEST_CASE("the sharpest wins; unmeasurable crops rank last; ties by quality, then frame") {
  std::vector<FaceCandidate> c = {face(1, 0, 0, 100, 100, 0.99), face(2, 0, 0, 50, 50, 0.5), face(3, 0, 0, 60, 60, 0.5),
                                  face(4, 0, 0, 60, 60, 0.5)};
  SelectedFace s = pick_sharpest(c, {std::nullopt, 9.0, 4.0, 4.0});
  CHECK(s.face.frame_number == 3);
  CHECK(s.blur_score == 4.0);
  CHECK(s.candidates == 4);
  SelectedFace flat = pick_sharpest(c, {std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  CHECK(flat.face.frame_number == 1);
  CHECK_FALSE(flat.blur_score);
  CHECK(quality_score(c[0]) == doctest::Approx(9900.0));
}

TEST_CASE("the face square is centred, enlarged and shifted, never squeezed") {
  struct Case {
    FaceCandidate face;
    int64_t x, y, side;
  };
  const Case cases[] = {
      {face(0, 100, 100, 50, 50, 1), 95, 95, 60},    // centred, +20%
      {face(0, 0, 10, 40, 20, 1), 0, 0, 48},         // shifted right and down at the corner
      {face(0, 600, 300, 40, 60, 1), 568, 288, 72},  // shifted left and up at the far edges
      {face(0, 0, 0, 640, 360, 1), 140, 0, 360},     // larger than the picture: limited to its height
  };
  for (const Case& c : cases) {
    Square s = face_square(c.face, 640, 360);
    CHECK(s.x == c.x);
    CHECK(s.y == c.y);
    CHECK(s.side == c.side);
    CHECK(s.x + s.side <= 640);
    CHECK(s.y + s.side <= 360);
  }
}
