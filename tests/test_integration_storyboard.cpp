// Storyboards (GET .../storyboard, .storyboard.json, .storyboard.vtt,
// .../storyboard/N.jpg and `frameserve storyboard`): the JSON's geometry,
// the WebVTT covering the file with fragments inside their sheets, sheets
// of the stated size, exact tiles equal to /thumbnail of their frame,
// keyframe tiles on keyframes, credentials carried into the URLs, strict
// parameters, and a second request served from the disk cache with
// concurrent cold requests rendering once.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "common/metrics.hpp"
#include "common/text.hpp"
#include "support/media_checks.hpp"
#include "support/request_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
// long.mp4: 60 s, 320x240, 25 fps, a keyframe every 50 frames.
constexpr double k_duration = 60.0;

httplib::Result get(TestServer& server, const std::string& path, httplib::Headers headers = {}) {
  auto client = server.client();
  client.set_read_timeout(120, 0);
  return client.Get(path.c_str(), headers);
}

rapidjson::Document parse_json(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsObject());
  return doc;
}

// Width and height of an encoded image, by ffprobe.
std::pair<int, int> image_size(const std::string& image) {
  CommandResult r = run_command(
      {ffprobe_path(), "-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", "pipe:0"},
      image);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string_view> parts = split(trim(r.out), ',');
  REQUIRE(parts.size() == 3);
  CHECK(parts[0] == "mjpeg");
  return {static_cast<int>(*parse_int64(parts[1])), static_cast<int>(*parse_int64(parts[2]))};
}

// The RGB24 pixels of the w x h rectangle at (x, y) of a width-wide image.
std::string crop_rgb(const std::string& rgb, int width, int x, int y, int w, int h) {
  std::string out;
  for (int row = y; row < y + h; ++row) out += rgb.substr((static_cast<size_t>(row) * width + x) * 3, w * 3);
  return out;
}

// "hh:mm:ss.ttt" in seconds.
double vtt_seconds(const std::string& text) {
  std::vector<std::string_view> parts = split(text, ':');
  REQUIRE(parts.size() == 3);
  return *parse_int64(parts[0]) * 3600.0 + *parse_int64(parts[1]) * 60.0 + *parse_double(parts[2]);
}

std::string base(const std::string& uuid) { return "/api/v1/file/" + uuid + "/"; }
}  // namespace

TEST_CASE("storyboard json: one tile per interval on keyframes, packed into sheets, linking the sheets") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  auto key = key_headers(all_files_key());
  auto file = server.app().catalog().resolve(uuid);
  REQUIRE(file);
  std::set<int64_t> keyframes;
  for (const auto& k : file->media->index->keyframes()) keyframes.insert(k.frame);

  for (const char* name : {"storyboard", "storyboard.json"}) {
    CAPTURE(name);
    auto res = get(server, base(uuid) + name + "?interval=0.5&width=64", key);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("Cache-Control") == "private, max-age=86400");
    CHECK(!res->get_header_value("ETag").empty());
    CHECK(res->get_header_value("Link").find("storyboard.vtt?interval=0.5&width=64") != std::string::npos);
    rapidjson::Document doc = parse_json(res->body);
    CHECK(doc["interval"].GetDouble() == 0.5);
    CHECK(doc["tile_width"].GetInt() == 64);
    CHECK(doc["tile_height"].GetInt() == 48);
    CHECK(doc["exact"].GetBool() == false);
    CHECK(std::string(doc["vtt_url"].GetString()) == "storyboard.vtt?interval=0.5&width=64");
    const auto& tiles = doc["tiles"];
    REQUIRE(tiles.Size() == 120);
    // Keyframes every 2 s: tiles at 0, 0.5, 1, 1.5 s show frames 0, 0, 0 (tie: the earlier) and 50.
    std::set<std::string> urls;
    for (rapidjson::SizeType i = 0; i < tiles.Size(); ++i) {
      const auto& t = tiles[i];
      CAPTURE(i);
      int64_t frame = t["frame_number"].GetInt64();
      CHECK(keyframes.count(frame) == 1);
      double at = i * 0.5;
      CHECK(std::abs(t["start_secs"].GetDouble() - at) < 1e-9);
      // No keyframe is nearer to the tile's time than the one it shows.
      for (int64_t k : keyframes) CHECK(std::abs(frame / 25.0 - at) <= std::abs(k / 25.0 - at) + 1e-9);
      CHECK(std::abs(t["timestamp_secs"].GetDouble() - frame / 25.0) < 1e-6);
      CHECK(t["width"].GetInt() == 64);
      CHECK(t["height"].GetInt() == 48);
      CHECK(t["x"].GetInt() % 64 == 0);
      CHECK(t["x"].GetInt() < 640);
      CHECK(t["y"].GetInt() % 48 == 0);
      CHECK(t["y"].GetInt() < 480);
      urls.insert(t["url"].GetString());
    }
    // 30 distinct keyframes fit one sheet of 10 x 3.
    CHECK(urls == std::set<std::string>{"storyboard/0.jpg?interval=0.5&width=64"});
    CHECK(tiles[1]["frame_number"].GetInt64() == 0);
    CHECK(tiles[3]["frame_number"].GetInt64() == 50);
    CHECK(tiles[4]["x"].GetInt() == 64);  // 2 s: the second distinct keyframe, next cell
    REQUIRE(doc["sheets"].Size() == 1);

    auto sheet = get(server, base(uuid) + "storyboard/0.jpg?interval=0.5&width=64", key);
    REQUIRE(sheet);
    REQUIRE(sheet->status == 200);
    CHECK(sheet->get_header_value("Content-Type") == "image/jpeg");
    CHECK(image_size(sheet->body) == std::pair<int, int>(640, 144));
  }

  // More than 100 distinct frames: several sheets of at most 10 x 10.
  auto res = get(server, base(uuid) + "storyboard?interval=0.2&width=32&exact=1", key);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  rapidjson::Document doc = parse_json(res->body);
  REQUIRE(doc["tiles"].Size() == 300);
  REQUIRE(doc["sheets"].Size() == 3);
  CHECK(std::string(doc["tiles"][299]["url"].GetString()) == "storyboard/2.jpg?interval=0.2&width=32&exact=1");
  CHECK(doc["tiles"][299]["frame_number"].GetInt64() == 1495);
  auto last = get(server, base(uuid) + "storyboard/2.jpg?interval=0.2&width=32&exact=1", key);
  REQUIRE(last);
  REQUIRE(last->status == 200);
  CHECK(image_size(last->body) == std::pair<int, int>(320, 240));
}

TEST_CASE("storyboard vtt: WEBVTT cues covering the file, each a fragment inside its sheet") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  auto key = key_headers(all_files_key());
  auto res = get(server, base(uuid) + "storyboard.vtt?interval=7", key);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type").rfind("text/vtt", 0) == 0);
  std::istringstream in(res->body);
  std::string line;
  REQUIRE(std::getline(in, line));
  CHECK(line == "WEBVTT");
  double covered = 0;
  int cues = 0;
  std::map<std::string, std::pair<int, int>> sheet_sizes;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto arrow = line.find(" --> ");
    REQUIRE(arrow != std::string::npos);
    CHECK(std::abs(vtt_seconds(line.substr(0, arrow)) - covered) < 1e-9);
    covered = vtt_seconds(line.substr(arrow + 5));
    std::string text;
    REQUIRE(std::getline(in, text));
    auto hash = text.find("#xywh=");
    REQUIRE(hash != std::string::npos);
    std::string url = text.substr(0, hash);
    CHECK(url == "storyboard/0.jpg?interval=7");
    std::string fragment = text.substr(hash + 6);
    std::vector<std::string_view> xywh = split(fragment, ',');
    REQUIRE(xywh.size() == 4);
    if (!sheet_sizes.count(url)) {
      auto sheet = get(server, base(uuid) + url, key);
      REQUIRE(sheet);
      REQUIRE(sheet->status == 200);
      sheet_sizes[url] = image_size(sheet->body);
    }
    auto [w, h] = sheet_sizes[url];
    CHECK(*parse_int64(xywh[2]) == 160);
    CHECK(*parse_int64(xywh[3]) == 120);
    CHECK(*parse_int64(xywh[0]) + *parse_int64(xywh[2]) <= w);
    CHECK(*parse_int64(xywh[1]) + *parse_int64(xywh[3]) <= h);
    ++cues;
  }
  CHECK(cues == 9);  // 0, 7, ..., 56 s
  CHECK(std::abs(covered - k_duration) < 1e-3);
}

namespace {
// Every tile of the first sheet against /thumbnail of the frame it names,
// scaled to the tile's size (JPEG both: a tolerance).
void check_tiles_match_thumbnails(TestServer& server, const std::string& uuid, const std::string& query,
                                  size_t expected_tiles, bool exact_long) {
  auto key = key_headers(all_files_key());
  auto res = get(server, base(uuid) + "storyboard?" + query, key);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  rapidjson::Document doc = parse_json(res->body);
  const auto& tiles = doc["tiles"];
  REQUIRE(tiles.Size() == expected_tiles);
  auto sheet = get(server, base(uuid) + "storyboard/0.jpg?" + query, key);
  REQUIRE(sheet);
  REQUIRE(sheet->status == 200);
  auto [sheet_w, sheet_h] = image_size(sheet->body);
  std::string sheet_rgb = decode_image_rgb(sheet->body);
  REQUIRE(sheet_rgb.size() == static_cast<size_t>(sheet_w) * sheet_h * 3);
  for (rapidjson::SizeType i = 0; i < tiles.Size(); ++i) {
    const auto& t = tiles[i];
    CAPTURE(i);
    int64_t frame = t["frame_number"].GetInt64();
    // long.mp4 at 3.3 s: the frame on screen at i * 3.3 s is floor(t * 25).
    if (exact_long) CHECK(frame == static_cast<int64_t>(i * 33 * 25 / 10));
    int w = t["width"].GetInt(), h = t["height"].GetInt();
    auto thumb = get(server,
                     base(uuid) + "thumbnail?frame=" + std::to_string(frame) + "&width=" + std::to_string(w) +
                         "&height=" + std::to_string(h),
                     key);
    REQUIRE(thumb);
    REQUIRE(thumb->status == 200);
    std::string tile = crop_rgb(sheet_rgb, sheet_w, t["x"].GetInt(), t["y"].GetInt(), w, h);
    CHECK(psnr(tile, decode_image_rgb(thumb->body)) > 30.0);
  }
}
}  // namespace

TEST_CASE("storyboard pixels: each tile is the /thumbnail of the frame it names, scaled the same way") {
  TestServer server;
  SUBCASE("exact frames") {
    check_tiles_match_thumbnails(server, registered_fixture("long.mp4"), "interval=3.3&width=160&exact=1", 19, true);
  }
  SUBCASE("keyframes") {
    check_tiles_match_thumbnails(server, registered_fixture("long.mp4"), "interval=3.3&width=160", 19, false);
  }
  // An open GOP, where keyframes-only decoding is unreliable.
  SUBCASE("keyframes, open GOP") {
    check_tiles_match_thumbnails(server, registered_fixture("opengop.ts"), "interval=0.5&width=160", 13, false);
  }
}

TEST_CASE("storyboard credentials: access_token is carried into every URL and admits the sheets") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  std::string query = "?interval=20&access_token=" + all_files_key();
  auto res = get(server, base(uuid) + "storyboard" + query);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  rapidjson::Document doc = parse_json(res->body);
  CHECK(std::string(doc["vtt_url"].GetString()) == "storyboard.vtt" + query);
  for (const auto& t : doc["tiles"].GetArray()) CHECK(std::string(t["url"].GetString()) == "storyboard/0.jpg" + query);
  auto vtt = get(server, base(uuid) + "storyboard.vtt" + query);
  REQUIRE(vtt);
  REQUIRE(vtt->status == 200);
  CHECK(vtt->body.find("storyboard/0.jpg" + query + "#xywh=0,0,160,120") != std::string::npos);
  auto sheet = get(server, base(uuid) + "storyboard/0.jpg" + query);
  REQUIRE(sheet);
  CHECK(sheet->status == 200);
  CHECK(sheet->get_header_value("Cache-Control") == "public, max-age=86400");
  CHECK(sheet->get_header_value("Link").find("<../storyboard.vtt" + query + ">") != std::string::npos);
  auto anonymous = get(server, base(uuid) + "storyboard/0.jpg?interval=20");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
}

TEST_CASE("storyboard parameters: out of range or malformed is a 400 naming the parameter and its range") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  for (const char* q :
       {"interval=0", "interval=0.05", "interval=3601", "interval=abc", "interval=inf", "interval=nan"}) {
    CAPTURE(q);
    check_rejected(server, base(uuid) + "storyboard?" + q, 400,
                   "interval must be a number of seconds from 0.1 to 3600");
  }
  for (const char* q : {"width=8", "width=1281", "width=1.5"}) {
    CAPTURE(q);
    check_rejected(server, base(uuid) + "storyboard.vtt?" + q, 400, "width");
  }
  check_rejected(server, base(uuid) + "storyboard/0.jpg?exact=2", 400, "exact");
  check_rejected(server, base(uuid) + "storyboard/1.jpg?interval=10", 404, "0.jpg to 0.jpg");
}

TEST_CASE("storyboard cache: concurrent cold requests render once, the next is served from disk, 304 on its ETag") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  auto key = key_headers(all_files_key());
  auto& metrics = metrics::get();
  auto hits = [&] { return metrics.segment_cache_hits.Add({}).Value(); };
  auto misses = [&] { return metrics.segment_cache_misses.Add({}).Value(); };
  // Parameters no other test uses: cold in this process's cache.
  std::string path = base(uuid) + "storyboard/0.jpg?interval=4.5&width=48&exact=1";
  double hits_before = hits();
  double misses_before = misses();
  std::optional<httplib::Response> other_res;
  std::thread other([&] {
    auto res = get(server, path, key);
    if (res) other_res = *res;
  });
  auto first = get(server, path, key);
  other.join();
  REQUIRE(first);
  REQUIRE(other_res);
  CHECK(first->status == 200);
  CHECK(other_res->status == 200);
  CHECK(first->body == other_res->body);
  CHECK(misses() - misses_before == 1);
  CHECK(hits() - hits_before == 1);
  std::set<std::string> sources = {first->get_header_value("X-Storyboard-Cache"),
                                   other_res->get_header_value("X-Storyboard-Cache")};
  CHECK(sources == std::set<std::string>{"hit", "miss"});

  auto again = get(server, path, key);
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(again->get_header_value("X-Storyboard-Cache") == "hit");
  CHECK(again->body == first->body);
  CHECK(hits() - hits_before == 2);
  CHECK(misses() - misses_before == 1);

  httplib::Headers conditional = key;
  conditional.emplace("If-None-Match", again->get_header_value("ETag"));
  auto not_modified = get(server, path, conditional);
  REQUIRE(not_modified);
  CHECK(not_modified->status == 304);
  CHECK(hits() - hits_before == 2);  // answered without looking at the cache
}

TEST_CASE("storyboard cli: writes storyboard.json, storyboard.vtt and the sheets with relative URLs") {
  const std::string& uuid = registered_fixture("long.mp4");
  std::string dir = repo_root() + "/build/test-storyboard-cli-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  CommandResult r = run_cli({"storyboard", uuid, "--interval", "15", "--width", "80", "-o", dir});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::ifstream json_in(dir + "/storyboard.json");
  std::stringstream json;
  json << json_in.rdbuf();
  rapidjson::Document doc = parse_json(json.str());
  CHECK(doc["tile_width"].GetInt() == 80);
  REQUIRE(doc["tiles"].Size() == 4);
  CHECK(std::string(doc["tiles"][0]["url"].GetString()) == "storyboard/0.jpg");
  CHECK(std::string(doc["vtt_url"].GetString()) == "storyboard.vtt");
  std::ifstream vtt(dir + "/storyboard.vtt");
  std::string first_line;
  std::getline(vtt, first_line);
  CHECK(first_line == "WEBVTT");
  std::ifstream sheet_in(dir + "/storyboard/0.jpg", std::ios::binary);
  std::stringstream sheet;
  sheet << sheet_in.rdbuf();
  CHECK(image_size(sheet.str()) == std::pair<int, int>(320, 60));

  CommandResult bad = run_cli({"storyboard", uuid, "--interval", "0", "-o", dir});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("interval must be a number of seconds from 0.1 to 3600") != std::string::npos);
  std::filesystem::remove_all(dir);
}
