// Frame exactness: for every fixture, at the first and last frame, on both
// sides of every keyframe and just after open-GOP keyframes, the frame
// frameserve returns is — pixel for pixel, through PNG — the frame
// `ffmpeg -i FILE -vf select=eq(n\,N)` decodes from the start. The fixtures
// are the files archives hold: edit lists, rotation, 10-bit, interlacing,
// wrapping MPEG-TS timestamps; files that cannot be served exactly are
// refused at registration.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <set>

#include "common/text.hpp"
#include "support/media_checks.hpp"
#include "support/request_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
struct Fixture {
  const char* name;
  // Pixels are compared in this format: 16 bits per channel for sources
  // deeper than 8 bits, whose PNG frames are 16-bit (lossless).
  const char* pix_fmt = "rgb24";
};

const Fixture k_fixtures[] = {
    {"bframes.mp4"},
    {"bframes.mkv"},
    {"opengop.ts"},
    {"vp9.webm"},
    {"vfr.mp4"},
    {"noaudio.mp4"},
    {"editlist.mp4"},
    {"emptyedit.mp4"},
    {"rotated.mov"},
    {"hevc10.mp4", "rgb48le"},
    {"interlaced.ts"},
    {"wrap.ts"},
    {"dvd.vob"},
    {"program.mpg"},
    {"xvid.avi"},
    {"nopts.avi"},
    {"camera.mp4"},
    {"raw.h264"},
    {"truncated.avi"},
    {"damaged.vob"},
    {"raw.hevc", "rgb48le"},
    {"raw.m2v"},
    // Real files (scripts/fetch_archive_clips.sh): XviD with packed
    // B-frames, and an AVI whose header claims 444 frames and holds 68.
    {"packed_bframes.avi"},
    {"header_lies.avi"},
};

// The fixtures a decode pass numbers (indexing "decode_order").
const std::set<std::string> k_decode_order = {"dvd.vob",    "program.mpg", "xvid.avi",          "nopts.avi",
                                              "camera.mp4", "raw.h264",    "truncated.avi",     "damaged.vob",
                                              "raw.hevc",   "raw.m2v",     "packed_bframes.avi"};

std::string thumbnail_path(const std::string& uuid, const std::string& query) {
  return "/api/v1/file/" + uuid + "/thumbnail?" + query;
}

std::set<int64_t> frames_to_check(const media::FrameIndex& index) {
  std::set<int64_t> frames = {0, index.frame_count() - 1, index.frame_count() / 2};
  for (const media::Keyframe& k : index.keyframes()) {
    for (int64_t d : {-2, -1, 0, 1}) frames.insert(k.frame + d);
    if (k.open_gop) frames.insert(k.frame + 2);
  }
  std::erase_if(frames, [&](int64_t f) { return f < 0 || f >= index.frame_count(); });
  return frames;
}
}  // namespace

TEST_CASE("the frame index counts exactly the frames ffmpeg decodes") {
  for (const Fixture& f : k_fixtures) {
    std::string fixture = f.name;
    CAPTURE(fixture);
    auto file = shared_app().catalog().resolve(registered_fixture(fixture));
    REQUIRE(file);
    CommandResult counted =
        run_command({ffprobe_path(), "-v", "error", "-select_streams", "V:0", "-count_frames", "-show_entries",
                     "stream=nb_read_frames", "-of", "csv=p=0", fixture_path(fixture)});
    // The first line's first field: side data (a display matrix, MPEG-TS
    // programs) adds empty fields after it.
    std::string first_line = counted.out.substr(0, counted.out.find('\n'));
    CHECK(std::string(trim(first_line.substr(0, first_line.find(',')))) ==
          std::to_string(file->media->index->frame_count()));
  }
}

TEST_CASE("thumbnails are the reference frame, on every fixture") {
  TestServer server;
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  int checked = 0;
  for (const Fixture& f : k_fixtures) {
    std::string fixture = f.name;
    const std::string& uuid = registered_fixture(fixture);
    auto file = shared_app().catalog().resolve(uuid);
    REQUIRE(file);
    for (int64_t frame : frames_to_check(*file->media->index)) {
      CAPTURE(fixture);
      CAPTURE(frame);
      auto res = client.Get(thumbnail_path(uuid, "format=png&frame=" + std::to_string(frame)).c_str(), headers);
      REQUIRE(res);
      REQUIRE(res->status == 200);
      CHECK(res->get_header_value("Content-Type") == "image/png");
      std::string ours = decode_image_rgb(res->body, 0, 0, f.pix_fmt);
      std::string reference = reference_frame_rgb(fixture_path(fixture), frame, f.pix_fmt);
      REQUIRE_FALSE(reference.empty());
      CHECK(sha256_hex(ours) == sha256_hex(reference));
      ++checked;
    }
  }
  MESSAGE(checked << " frames compared");
  CHECK(checked > 160);
}

TEST_CASE("a file cut with an edit list starts at the first frame the edit list shows") {
  // `ffmpeg -ss 1.3 -i bframes.mp4 -c copy editlist.mp4` starts at source
  // frame 30 (a keyframe) and hides frames 30-38: its frame N is source
  // frame N + 39, up to the source's last frame.
  TestServer server;
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  const std::string& uuid = registered_fixture("editlist.mp4");
  auto file = shared_app().catalog().resolve(uuid);
  REQUIRE(file);
  CHECK(file->media->index->frame_count() == 150 - 39);
  for (int64_t frame : {0, 20, 21, 110}) {
    CAPTURE(frame);
    auto res = client.Get(thumbnail_path(uuid, "format=png&frame=" + std::to_string(frame)).c_str(), headers);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(sha256_hex(decode_image_rgb(res->body)) ==
          sha256_hex(reference_frame_rgb(fixture_path("bframes.mp4"), frame + 39)));
  }
  check_rejected(server, thumbnail_path(uuid, "frame=111"), 400, "valid frames are 0 to 110");
  // Detections may use every frame the decoder shows, and no other.
  auto detection = [](int frame) {
    return "{\"frame_number\":" + std::to_string(frame) +
           ",\"trace_id\":1,\"bbox\":{\"x\":10,\"y\":10,\"width\":20,\"height\":20},\"confidence\":0.5}\n";
  };
  CHECK(run_cli({"import", uuid, "-", "--replace"}, detection(0) + detection(110)).exit_code == 0);
  CommandResult past_end = run_cli({"import", uuid, "-", "--replace"}, detection(111));
  CHECK(past_end.exit_code == 3);
}

TEST_CASE("rotated phone video: upright frames, sizes and crops in displayed coordinates") {
  // rotated.mov stores 320x240 pictures with a display matrix of 90 degrees;
  // ffmpeg shows them 240x320.
  TestServer server;
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  const std::string& uuid = registered_fixture("rotated.mov");
  auto file = shared_app().catalog().resolve(uuid);
  REQUIRE(file);
  CHECK(file->media->info.width == 240);
  CHECK(file->media->info.height == 320);

  std::string reference = reference_frame_rgb(fixture_path("rotated.mov"), 45);
  REQUIRE(reference.size() == 240u * 320 * 3);
  auto whole = client.Get(thumbnail_path(uuid, "format=png&frame=45").c_str(), headers);
  REQUIRE(whole);
  REQUIRE(whole->status == 200);
  CHECK(sha256_hex(decode_image_rgb(whole->body)) == sha256_hex(reference));

  // A crop below row 240 exists only in the upright picture.
  auto crop = client.Get(thumbnail_path(uuid, "format=png&frame=45&x=130&y=210&w=100&h=100").c_str(), headers);
  REQUIRE(crop);
  REQUIRE(crop->status == 200);
  std::string expected;
  for (int row = 210; row < 310; ++row) expected += reference.substr((static_cast<size_t>(row) * 240 + 130) * 3, 300);
  CHECK(sha256_hex(decode_image_rgb(crop->body)) == sha256_hex(expected));

  check_rejected(server, thumbnail_path(uuid, "frame=1&x=200&y=0&w=41&h=10"), 400, "exceeds the picture width 240");
  check_rejected(server, thumbnail_path(uuid, "frame=1&x=0&y=300&w=10&h=21"), 400, "exceeds the picture height 320");
}

TEST_CASE("files whose timestamps do not give the frame order are numbered by a decode pass, and say so") {
  // AVI packets carry no presentation timestamps: registered, not refused.
  CommandResult add = run_cli({"file", "add", fixture_path("nopts.avi")});
  CHECK(add.exit_code == 0);
  CHECK(add.err.find("no presentation timestamp") == std::string::npos);
  CommandResult thumbnail =
      run_command({frameserve_bin(), "thumbnail", fixture_path("nopts.avi"), "--frame", "1", "-o", "-"});
  CHECK(thumbnail.exit_code == 0);
  CHECK_FALSE(thumbnail.out.empty());

  TestServer server;
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  for (const Fixture& f : k_fixtures) {
    std::string fixture = f.name;
    CAPTURE(fixture);
    auto res = client.Get(("/api/v1/file/" + registered_fixture(fixture)).c_str(), headers);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    std::string expected =
        k_decode_order.count(fixture) ? "\"indexing\":\"decode_order\"" : "\"indexing\":\"timestamps\"";
    CHECK(res->body.find(expected) != std::string::npos);
  }
  // The CLI's listing says the same.
  CommandResult listed = run_cli({"file", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find("\"indexing\":\"decode_order\"") != std::string::npos);
  CHECK(listed.out.find("\"indexing\":\"timestamps\"") != std::string::npos);
}

TEST_CASE("JPEG thumbnails, crops and scaling show the same frame") {
  TestServer server;
  auto client = server.client();
  httplib::Headers headers = key_headers(all_files_key());
  const std::string& uuid = registered_fixture("opengop.ts");
  std::string base = "/api/v1/file/" + uuid + "/thumbnail?frame=";
  std::string reference = reference_frame_rgb(fixture_path("opengop.ts"), 49);

  auto jpeg = client.Get((base + "49").c_str(), headers);
  REQUIRE(jpeg);
  REQUIRE(jpeg->status == 200);
  CHECK(jpeg->get_header_value("Content-Type") == "image/jpeg");
  CHECK(jpeg->get_header_value("Cache-Control") == "public, max-age=86400");
  double same = psnr(decode_image_rgb(jpeg->body), reference);
  double neighbour = psnr(decode_image_rgb(jpeg->body), reference_frame_rgb(fixture_path("opengop.ts"), 50));
  CHECK(same > 30);
  CHECK(same > neighbour + 3);

  SUBCASE("quality changes the size") {
    auto low = client.Get((base + "49&quality=5").c_str(), headers);
    REQUIRE(low);
    CHECK(low->body.size() < jpeg->body.size());
  }
  SUBCASE("crop is the same region of the same frame") {
    auto crop = client.Get((base + "49&format=png&x=40&y=30&w=100&h=60").c_str(), headers);
    REQUIRE(crop);
    REQUIRE(crop->status == 200);
    std::string pixels = decode_image_rgb(crop->body);
    REQUIRE(pixels.size() == 100u * 60 * 3);
    std::string expected;
    for (int row = 30; row < 90; ++row) expected += reference.substr((static_cast<size_t>(row) * 320 + 40) * 3, 300);
    CHECK(psnr(pixels, expected) > 35);
  }
  SUBCASE("width keeps the aspect ratio; width and height fit inside") {
    auto scaled = client.Get((base + "49&format=png&width=160").c_str(), headers);
    REQUIRE(scaled);
    CHECK(decode_image_rgb(scaled->body).size() == 160u * 120 * 3);
    auto boxed = client.Get((base + "49&format=png&width=100&height=100").c_str(), headers);
    REQUIRE(boxed);
    CHECK(decode_image_rgb(boxed->body).size() == 100u * 75 * 3);
  }
  SUBCASE("ETag and 304") {
    std::string etag = jpeg->get_header_value("ETag");
    REQUIRE(etag.size() > 2);
    httplib::Headers conditional = headers;
    conditional.emplace("If-None-Match", etag);
    auto again = client.Get((base + "49").c_str(), conditional);
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
    auto other = client.Get((base + "50").c_str(), conditional);
    REQUIRE(other);
    CHECK(other->status == 200);
    CHECK(other->get_header_value("ETag") != etag);
  }
}

TEST_CASE("thumbnail parameters are validated with messages that say what is valid") {
  TestServer server;
  const std::string& uuid = registered_fixture("bframes.mp4");
  struct Case {
    const char* query;
    const char* says;
  };
  const Case cases[] = {
      {"", "frame is required"},
      {"frame=abc", "frame must be a whole number >= 0"},
      {"frame=-1", "frame must be a whole number >= 0"},
      {"frame=150", "valid frames are 0 to 149"},
      {"frame=1&frame=2", "more than once"},
      {"frame=1&x=1&y=1", "missing: w, h"},
      {"frame=1&x=300&y=0&w=21&h=10", "exceeds the picture width 320"},
      {"frame=1&x=0&y=200&w=10&h=41", "exceeds the picture height 240"},
      {"frame=1&x=0&y=0&w=0&h=10", "w must be a whole number >= 1"},
      {"frame=1&format=gif", "format must be one of jpeg, jpg, png"},
      {"frame=1&quality=101", "quality must be a whole number between 1 and 100"},
      {"frame=1&width=0", "width must be a whole number between 1 and 4096"},
  };
  for (const Case& c : cases) check_rejected(server, "/api/v1/file/" + uuid + "/thumbnail?" + c.query, 400, c.says);
}

TEST_CASE("the CLI twin writes the same image, from a uuid or a plain path") {
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("vfr.mp4");
  auto res =
      client.Get(("/api/v1/file/" + uuid + "/thumbnail?frame=77&format=png").c_str(), key_headers(all_files_key()));
  REQUIRE(res);
  CommandResult by_uuid = run_cli({"thumbnail", uuid, "--frame", "77", "--format", "png", "-o", "-"});
  CommandResult by_path = run_command(
      {frameserve_bin(), "thumbnail", fixture_path("vfr.mp4"), "--frame", "77", "--format", "png", "-o", "-"});
  CHECK(by_uuid.exit_code == 0);
  CHECK(by_path.exit_code == 0);
  CHECK(sha256_hex(by_uuid.out) == sha256_hex(res->body));
  CHECK(sha256_hex(by_path.out) == sha256_hex(res->body));
  CommandResult too_far =
      run_command({frameserve_bin(), "thumbnail", fixture_path("vfr.mp4"), "--frame", "150", "-o", "-"});
  CHECK(too_far.exit_code == 3);
  CHECK(too_far.err.find("valid frames are 0 to 149") != std::string::npos);
  CommandResult bad_crop = run_command(
      {frameserve_bin(), "thumbnail", fixture_path("vfr.mp4"), "--frame", "1", "--crop", "1,2,3", "-o", "-"});
  CHECK(bad_crop.exit_code == 3);
}

TEST_CASE("an ffmpeg failure before the first byte is a JSON 500 with ffmpeg's reason") {
  char dir[] = "/tmp/frameserve-gone.XXXXXX";
  REQUIRE(::mkdtemp(dir));
  std::string copy = std::string(dir) + "/copy.mp4";
  REQUIRE(run_command({"/bin/cp", fixture_path("noaudio.mp4"), copy}).exit_code == 0);
  CommandResult add = run_cli({"file", "add", copy});
  REQUIRE(add.exit_code == 0);
  std::string uuid(trim(add.out));
  // The file is damaged after registration, in a way the check before a
  // job cannot see: the registration's record is made to match the damaged
  // file (as a file registered before fingerprints were kept, whose size
  // and mtime are what was recorded), so ffmpeg is run on it.
  REQUIRE(run_command({"/usr/bin/truncate", "-s", "2000", copy}).exit_code == 0);
  struct stat st {};
  REQUIRE(::stat(copy.c_str(), &st) == 0);
  auto recorded = shared_app().database().query(
      "UPDATE files SET size_bytes = $2, mtime_ns = $3, ctime_ns = NULL, fingerprint = NULL"
      " WHERE file_uuid = $1::uuid",
      {uuid, static_cast<int64_t>(st.st_size),
       static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec});
  REQUIRE(recorded);
  TestServer server;
  auto client = server.client();
  for (const std::string path : {"/thumbnail?frame=100", "/clip?start_frame=100&end_frame=120"}) {
    CAPTURE(path);
    auto res = client.Get(("/api/v1/file/" + uuid + path).c_str(), key_headers(all_files_key()));
    REQUIRE(res);
    CHECK(res->status == 500);
    CHECK(res->get_header_value("Content-Type") == "application/json");
    CHECK(res->body.find("\"code\":\"ffmpeg_failed\"") != std::string::npos);
  }
  CHECK(count_children("ffmpeg") == 0);
  // Gone entirely: /video says so (410, naming the path).
  run_command({"/bin/rm", "-rf", dir});
  auto gone = client.Get(("/api/v1/file/" + uuid + "/video").c_str(), key_headers(all_files_key()));
  REQUIRE(gone);
  CHECK(gone->status == 410);
  CHECK(gone->body.find("file_missing") != std::string::npos);
  CHECK(gone->body.find(copy) != std::string::npos);
}
