// Frame batches (POST /api/v1/file/:file_uuid/frames, GET .../frame-index):
// every image of a batch is — pixel for pixel — the frame
// `ffmpeg -i FILE -vf select=eq(n\,N)` decodes, on every fixture kind
// (decode_order files included), in any order and with repeats; crops are
// exactly their region; a batch and the same frames asked one at a time are
// byte-identical; and the tar is read with a real tar reader.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <stdlib.h>

#include <map>
#include <set>

#include "support/media_checks.hpp"
#include "support/tar_reader.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
struct Fixture {
  const char* name;
  const char* pix_fmt = "rgb24";  // 16 bits per channel for deeper sources
};

const Fixture k_fixtures[] = {
    {"bframes.mp4"},   {"bframes.mkv"},  {"opengop.ts"},  {"vp9.webm"},
    {"vfr.mp4"},       {"editlist.mp4"}, {"rotated.mov"}, {"hevc10.mp4", "rgb48le"},
    {"interlaced.ts"}, {"wrap.ts"},      {"dvd.vob"},     {"program.mpg"},
    {"xvid.avi"},      {"nopts.avi"},    {"camera.mp4"},  {"raw.h264"},
    {"truncated.avi"},
};

std::string frames_path(const std::string& uuid) { return "/api/v1/file/" + uuid + "/frames"; }

httplib::Result post_frames(httplib::Client& client, const std::string& uuid, const std::string& body) {
  return client.Post(frames_path(uuid).c_str(), key_headers(all_files_key()), body, "application/json");
}

std::string frame_list(const std::vector<int64_t>& frames) {
  std::string list;
  for (int64_t f : frames) list += (list.empty() ? "" : ",") + std::to_string(f);
  return "[" + list + "]";
}

// The members of a 200 tar answer, checked to be pairs image + JSON named
// by their position.
std::vector<TarMember> batch_members(const httplib::Result& res, const std::string& extension, size_t images) {
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  CHECK(res->get_header_value("Content-Type") == "application/x-tar");
  std::vector<TarMember> members = read_tar(res->body);
  REQUIRE(members.size() == images * 2);
  for (size_t i = 0; i < images; ++i) {
    char key[32];
    std::snprintf(key, sizeof key, "%08zu", i);
    CHECK(members[2 * i].name == std::string(key) + "." + extension);
    CHECK(members[2 * i + 1].name == std::string(key) + ".json");
  }
  return members;
}

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string region(const std::string& rgb, int width, int x, int y, int w, int h) {
  std::string out;
  for (int row = y; row < y + h; ++row)
    out += rgb.substr((static_cast<size_t>(row) * width + x) * 3, static_cast<size_t>(w) * 3);
  return out;
}
}  // namespace

TEST_CASE("a batch is the reference frames, on every fixture, in descending order and with repeats") {
  TestServer server;
  auto client = server.client();
  int checked = 0;
  for (const Fixture& f : k_fixtures) {
    std::string fixture = f.name;
    CAPTURE(fixture);
    const std::string& uuid = registered_fixture(fixture);
    auto file = shared_app().catalog().resolve(uuid);
    REQUIRE(file);
    const media::FrameIndex& index = *file->media->index;
    // Both sides of the keyframes, the first and last frames: descending,
    // then the last one again.
    std::set<int64_t> wanted = {0, index.frame_count() - 1, index.frame_count() / 2};
    for (const media::Keyframe& k : index.keyframes()) {
      for (int64_t d : {-1, 0, 1}) wanted.insert(k.frame + d);
      if (k.open_gop) wanted.insert(k.frame + 2);
    }
    std::erase_if(wanted, [&](int64_t n) { return n < 0 || n >= index.frame_count(); });
    std::vector<int64_t> frames(wanted.rbegin(), wanted.rend());
    frames.push_back(frames.back());
    frames.push_back(frames.front());

    auto res = post_frames(client, uuid, "{\"frames\":" + frame_list(frames) + "}");
    std::vector<TarMember> members = batch_members(res, "png", frames.size());
    for (size_t i = 0; i < frames.size(); ++i) {
      CAPTURE(frames[i]);
      rapidjson::Document meta = parse(members[2 * i + 1].data);
      CHECK(meta["frame_number"].GetInt64() == frames[i]);
      CHECK(meta["size"][0].GetInt() == file->media->info.width);
      std::string ours = decode_image_rgb(members[2 * i].data, 0, 0, f.pix_fmt);
      std::string reference = reference_frame_rgb(fixture_path(fixture), frames[i], f.pix_fmt);
      REQUIRE_FALSE(reference.empty());
      CHECK(sha256_hex(ours) == sha256_hex(reference));
      ++checked;
    }
  }
  MESSAGE(checked << " frames compared");
  CHECK(checked > 150);
}

TEST_CASE("crops are exactly their region; raw is packed RGB24; a batch equals its frames asked one by one") {
  TestServer server;
  auto client = server.client();
  for (const char* name : {"bframes.mp4", "dvd.vob"}) {
    std::string fixture = name;
    CAPTURE(fixture);
    const std::string& uuid = registered_fixture(fixture);
    auto file = shared_app().catalog().resolve(uuid);
    REQUIRE(file);
    const int width = file->media->info.width;
    std::vector<int64_t> frames = {40, 3, 40, 17};
    // An odd offset and size: no rounding to the chroma grid.
    const std::string crop = ",\"crop\":{\"x\":13,\"y\":7,\"w\":51,\"h\":33}";
    for (const char* format : {"raw", "png"}) {
      CAPTURE(format);
      auto res =
          post_frames(client, uuid, "{\"frames\":" + frame_list(frames) + crop + ",\"format\":\"" + format + "\"}");
      std::vector<TarMember> members = batch_members(res, format == std::string("raw") ? "rgb" : "png", frames.size());
      for (size_t i = 0; i < frames.size(); ++i) {
        std::string expected = region(reference_frame_rgb(fixture_path(fixture), frames[i]), width, 13, 7, 51, 33);
        std::string ours = format == std::string("raw") ? members[2 * i].data : decode_image_rgb(members[2 * i].data);
        CHECK(ours.size() == 51u * 33 * 3);
        CHECK(sha256_hex(ours) == sha256_hex(expected));
        rapidjson::Document meta = parse(members[2 * i + 1].data);
        CHECK(meta["crop"]["x"].GetInt() == 13);
        CHECK(meta["crop"]["width"].GetInt() == 51);
      }
    }
    for (const char* options : {"\"format\":\"png\"", "\"format\":\"jpeg\",\"quality\":70",
                                "\"format\":\"png\",\"size\":[64,48],\"fit\":\"pad\""}) {
      CAPTURE(options);
      std::string extension = std::string(options).find("jpeg") != std::string::npos ? "jpg" : "png";
      auto batch = post_frames(client, uuid, "{\"frames\":" + frame_list(frames) + "," + options + crop + "}");
      std::vector<TarMember> together = batch_members(batch, extension, frames.size());
      for (size_t i = 0; i < frames.size(); ++i) {
        auto one = post_frames(client, uuid, "{\"frames\":[" + std::to_string(frames[i]) + "]," + options + crop + "}");
        std::vector<TarMember> alone = batch_members(one, extension, 1);
        CHECK(sha256_hex(alone[0].data) == sha256_hex(together[2 * i].data));
      }
    }
  }
}

TEST_CASE("a trace's and an identity's faces, cropped by their detections and resized") {
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("bframes.mp4");
  auto file = shared_app().catalog().resolve(uuid);
  REQUIRE(file);
  auto detections = shared_app().detections().trace_detections(uuid, 1);
  REQUIRE(detections);
  REQUIRE(detections->size() > 10);
  size_t expected = (detections->size() + 2) / 3;

  auto res = post_frames(client, uuid,
                         "{\"trace_id\":1,\"step\":3,\"crop\":\"detection\",\"margin\":0.2,\"square\":true,"
                         "\"size\":[112,112],\"fit\":\"pad\",\"format\":\"jpeg\",\"quality\":90}");
  std::vector<TarMember> members = batch_members(res, "jpg", expected);
  for (size_t i = 0; i < expected; ++i) {
    const db::BoxDetection& d = (*detections)[i * 3];
    rapidjson::Document meta = parse(members[2 * i + 1].data);
    CHECK(meta["frame_number"].GetInt64() == d.frame_number);
    CHECK(meta["trace_id"].GetInt64() == 1);
    CHECK(meta["bbox"]["x"].GetInt() == d.x);
    CHECK(meta["bbox"]["width"].GetInt() == d.width);
    CHECK(meta["confidence"].GetDouble() == doctest::Approx(d.confidence));
    CHECK(std::string(meta["identity_uuid"].GetString()) == "c3545906-c82d-4b66-aa1d-150bc02decce");
    CHECK(std::string(meta["name"].GetString()) == "Audrey Hepburn");
    CHECK(meta["crop"]["width"].GetInt() == meta["crop"]["height"].GetInt());
    CHECK(decode_image_rgb(members[2 * i].data).size() == 112u * 112 * 3);
  }
  // The crop is the detection's square, exactly (PNG, no resize).
  auto exact = post_frames(client, uuid,
                           "{\"frames\":[" + std::to_string((*detections)[5].frame_number) +
                               "],\"trace_id\":1,\"crop\":\"detection\",\"margin\":0}");
  std::vector<TarMember> one = batch_members(exact, "png", 1);
  const db::BoxDetection& d = (*detections)[5];
  std::string reference = reference_frame_rgb(fixture_path("bframes.mp4"), d.frame_number);
  CHECK(sha256_hex(decode_image_rgb(one[0].data)) ==
        sha256_hex(region(reference, file->media->info.width, d.x, d.y, d.width, d.height)));

  auto identity = post_frames(client, uuid,
                              "{\"identity_uuid\":\"c3545906-c82d-4b66-aa1d-150bc02decce\",\"step\":5,"
                              "\"crop\":\"detection\",\"size\":[32,32],\"format\":\"raw\"}");
  REQUIRE(identity);
  REQUIRE(identity->status == 200);
  std::vector<TarMember> faces = read_tar(identity->body);
  REQUIRE(faces.size() >= 2);
  CHECK(faces[0].data.size() == 32u * 32 * 3);
}

TEST_CASE("a bad frames request is a 400 naming its first bad item, before any byte of the tar") {
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("bframes.mp4");
  auto file = shared_app().catalog().resolve(uuid);
  REQUIRE(file);
  std::string past = std::to_string(file->media->info.frame_count);
  struct Case {
    std::string body;
    std::string fragment;
  };
  const Case cases[] = {
      {"{\"frames\":[0," + past + "]}", "frames[1]"},
      {"{\"frames\":[1,2],\"crop\":{\"x\":300,\"y\":0,\"w\":100,\"h\":10}}", "frames[0]: crop x + w"},
      {"{\"frames\":[1],\"crop\":\"detection\"}", "needs trace_id"},
      {"{\"frames\":[1],\"trace_id\":999999,\"crop\":\"detection\"}", "no trace 999999"},
      {"{\"frames\":[1],\"format\":\"gif\"}", "format must be"},
      {"{\"frames\":[1],\"size\":[0,5]}", "size's width"},
      {"{\"frames\":[1],\"colour\":1}", "unknown member"},
      {"{\"frames\":[]}", "must not be empty"},
      {"not json", "one JSON object"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    auto res = post_frames(client, uuid, c.body);
    REQUIRE(res);
    CHECK(res->status / 100 == 4);
    CHECK(res->get_header_value("Content-Type").find("application/json") == 0);
    CHECK(res->body.find(c.fragment) != std::string::npos);
  }
  // A trace without a detection on a frame asked with crop "detection".
  auto detections = shared_app().detections().trace_detections(uuid, 1);
  REQUIRE(detections);
  std::set<int64_t> on;
  for (const auto& d : *detections) on.insert(d.frame_number);
  int64_t missing = 0;
  while (on.count(missing)) ++missing;
  if (missing < file->media->info.frame_count) {
    auto res = post_frames(client, uuid,
                           "{\"frames\":[" + std::to_string(missing) + "],\"trace_id\":1,\"crop\":\"detection\"}");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(res->body.find("no_detection") != std::string::npos);
  }
}

TEST_CASE("the frame index in TorchCodec's custom_frame_mappings form") {
  TestServer server;
  auto client = server.client();
  for (const char* name : {"bframes.mp4", "vfr.mp4", "dvd.vob"}) {
    CAPTURE(name);
    const std::string& uuid = registered_fixture(name);
    auto file = shared_app().catalog().resolve(uuid);
    REQUIRE(file);
    auto res = client.Get(("/api/v1/file/" + uuid + "/frame-index").c_str(), key_headers(all_files_key()));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    rapidjson::Document doc = parse(res->body);
    const auto& frames = doc["frames"];
    const media::FrameIndex& index = *file->media->index;
    REQUIRE(frames.Size() == static_cast<rapidjson::SizeType>(index.frame_count()));
    size_t keys = 0;
    for (rapidjson::SizeType i = 0; i < frames.Size(); ++i) {
      CHECK(frames[i]["pts"].GetInt64() == index.pts(i));
      CHECK(frames[i]["duration"].GetInt64() > 0);
      if (i > 0) CHECK(frames[i]["pts"].GetInt64() > frames[i - 1]["pts"].GetInt64());
      if (frames[i]["key_frame"].GetBool()) ++keys;
    }
    CHECK(frames[0]["key_frame"].GetBool());
    CHECK(keys >= 1);
  }
}

TEST_CASE("a client that goes away stops the decoding") {
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("long.mp4");
  auto file = shared_app().catalog().resolve(uuid);
  REQUIRE(file);
  std::vector<int64_t> frames;
  for (int64_t f = 0; f < file->media->info.frame_count && frames.size() < 5000; f += 3) frames.push_back(f);
  size_t received = 0;
  httplib::Request req;
  req.method = "POST";
  req.path = frames_path(uuid);
  req.headers = key_headers(all_files_key());
  req.set_header("Content-Type", "application/json");
  req.body = "{\"frames\":" + frame_list(frames) + "}";
  req.content_receiver = [&](const char*, size_t length, uint64_t, uint64_t) {
    received += length;
    return received < 100000;  // then hang up
  };
  auto res = client.send(req);
  CHECK(received > 0);
  CHECK(ffmpeg_children_gone());
}

TEST_CASE("frameserve frames writes the same tar, or unpacks it into a directory") {
  const std::string& uuid = registered_fixture("bframes.mp4");
  TestServer server;
  auto client = server.client();
  const std::string body = "{\"frames\":[9,2,9],\"crop\":{\"x\":1,\"y\":2,\"w\":30,\"h\":20},\"format\":\"png\"}";
  auto http = post_frames(client, uuid, body);
  std::vector<TarMember> expected = batch_members(http, "png", 3);

  CommandResult cli = run_cli({"frames", uuid, "--frames", "9,2,9", "--crop", "1,2,30,20", "-o", "-"});
  REQUIRE_MESSAGE(cli.exit_code == 0, cli.err);
  std::vector<TarMember> members = read_tar(cli.out);
  REQUIRE(members.size() == expected.size());
  for (size_t i = 0; i < members.size(); ++i) {
    CHECK(members[i].name == expected[i].name);
    CHECK(sha256_hex(members[i].data) == sha256_hex(expected[i].data));
  }

  char dir_template[] = "/tmp/frameserve-frames-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  std::string dir = dir_template;
  CommandResult unpacked = run_cli({"frames", fixture_path("bframes.mp4"), "--frames", "9,2,9", "--crop", "1,2,30,20",
                                    "--format", "raw", "-o", dir});
  REQUIRE_MESSAGE(unpacked.exit_code == 0, unpacked.err);
  CommandResult listed = run_command({"/usr/bin/ls", dir});
  CHECK(listed.out == "00000000.json\n00000000.rgb\n00000001.json\n00000001.rgb\n00000002.json\n00000002.rgb\n");
  CommandResult raw = run_command({"/usr/bin/cat", dir + "/00000001.rgb"});
  CHECK(raw.out.size() == 30u * 20 * 3);
  run_command({"/usr/bin/rm", "-r", dir});

  CommandResult bad = run_cli({"frames", uuid, "--frames", "1,999999", "-o", "-"});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("frames[1]") != std::string::npos);
}

TEST_CASE("an identity's sharpest faces per trace as a tar, over HTTP and from the CLI") {
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("bframes.mp4");
  const std::string identity = "c3545906-c82d-4b66-aa1d-150bc02decce";
  auto res = client.Get(("/api/v1/file/" + uuid + "/identities/" + identity + "/faces.tar?per_trace=3&size=64").c_str(),
                        key_headers(all_files_key()));
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  CHECK(res->get_header_value("Content-Type") == "application/x-tar");
  std::vector<TarMember> members = read_tar(res->body);
  REQUIRE(members.size() >= 2);
  REQUIRE(members.size() % 2 == 0);
  std::map<int64_t, int> per_trace;
  for (size_t i = 0; i < members.size(); i += 2) {
    CHECK(decode_image_rgb(members[i].data).size() == 64u * 64 * 3);
    rapidjson::Document meta = parse(members[i + 1].data);
    CHECK(std::string(meta["identity_uuid"].GetString()) == identity);
    ++per_trace[meta["trace_id"].GetInt64()];
  }
  for (const auto& [trace, count] : per_trace) CHECK(count <= 3);

  CommandResult cli = run_cli({"faces", uuid, "--identity", identity, "--per-trace", "3", "--size", "64", "-o", "-"});
  REQUIRE_MESSAGE(cli.exit_code == 0, cli.err);
  std::vector<TarMember> same = read_tar(cli.out);
  REQUIRE(same.size() == members.size());
  for (size_t i = 0; i < same.size(); ++i) CHECK(sha256_hex(same[i].data) == sha256_hex(members[i].data));

  auto unknown =
      client.Get(("/api/v1/file/" + uuid + "/identities/00000000-0000-4000-8000-000000000000/faces.tar").c_str(),
                 key_headers(all_files_key()));
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  auto bad = client.Get(("/api/v1/file/" + uuid + "/identities/" + identity + "/faces.tar?per_trace=0").c_str(),
                        key_headers(all_files_key()));
  REQUIRE(bad);
  CHECK(bad->status == 400);
}
