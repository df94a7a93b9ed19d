// The HLS segment cache on a real disk and the cache policy of HLS answers:
// instances sharing a cache directory never delete each other's segments;
// a cached segment whose file went is rendered again; requests for a
// segment that cannot be cached share one render; a uuid registered again
// is never answered from the old registration's cache; HEAD of a cached
// segment says what GET sends; overlay playlists are private and change
// their ETag and segment URIs with the detections.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/metrics.hpp"
#include "common/text.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace fs = std::filesystem;

namespace {
double hits() { return metrics::get().segment_cache_hits.Add({}).Value(); }
double misses() { return metrics::get().segment_cache_misses.Add({}).Value(); }

// A fresh cache directory of this test process.
std::string fresh_cache_dir(const std::string& name) {
  std::string dir = repo_root() + "/build/test-segment-cache/" + std::to_string(::getpid()) + "-" + name;
  fs::remove_all(dir);
  return dir;
}

app::ServerConfig config_with_cache(const std::string& dir, uint64_t max_bytes) {
  app::ServerConfig config = TestServer::test_config();
  config.cache_dir = dir;
  config.cache_max_bytes = max_bytes;
  return config;
}

httplib::Result get(TestServer& server, const std::string& path, httplib::Headers headers = {}) {
  auto client = server.client();
  return client.Get(path.c_str(), headers);
}

// The segment URIs of a playlist.
std::vector<std::string> playlist_uris(const std::string& text) {
  std::vector<std::string> uris;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') uris.push_back(line);
  }
  return uris;
}

// `count` concurrent GETs of `path`: their statuses and bodies.
std::vector<std::pair<int, std::string>> concurrent_gets(TestServer& server, const std::string& path, int count) {
  std::vector<std::pair<int, std::string>> results(static_cast<size_t>(count));
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      auto res = get(server, path, key_headers(all_files_key()));
      if (res) results[static_cast<size_t>(i)] = {res->status, res->body};
    });
  }
  for (auto& t : threads) t.join();
  return results;
}

// Writes one trace on frames 500-560 with its box at `x` and imports it.
CommandResult import_box_at(const std::string& uuid, const std::string& dir, int x, bool replace) {
  const std::string jsonl = dir + "/boxes.jsonl";
  {
    std::ofstream out(jsonl);
    for (int frame = 500; frame <= 560; ++frame) {
      out << "{\"frame_number\":" << frame << ",\"trace_id\":1,\"bbox\":{\"x\":" << x
          << ",\"y\":60,\"width\":80,\"height\":80},\"confidence\":0.9}\n";
    }
  }
  std::vector<std::string> args = {"import", uuid, jsonl};
  if (replace) args.push_back("--replace");
  return run_cli(args);
}
}  // namespace

TEST_CASE("hls segment cache: instances sharing a directory keep their own segments; a vanished file is re-rendered") {
  const std::string dir = fresh_cache_dir("shared");
  fs::create_directories(dir);
  // Another instance's render in progress, in the shared directory.
  const std::string foreign_temp = dir + "/.tmp99999_1";
  std::ofstream(foreign_temp) << "half a segment";

  TestServer first(config_with_cache(dir, 1ULL << 30));
  // A second instance on the same directory whose bound holds nothing.
  TestServer second(config_with_cache(dir, 1));
  const std::string& uuid = registered_fixture("long.mp4");
  httplib::Headers key = key_headers(all_files_key());
  const std::string path = "/api/v1/file/" + uuid + "/video?format=hls&start_frame=0&end_frame=300&segment=0";

  auto rendered = get(first, path, key);
  REQUIRE(rendered);
  REQUIRE(rendered->status == 200);
  CHECK(fs::exists(foreign_temp));
  double hits_before = hits();
  auto cached = get(first, path, key);
  REQUIRE(cached);
  REQUIRE(cached->status == 200);
  CHECK(hits() - hits_before == 1);

  // The second instance renders (and cannot keep) another segment.
  auto other = get(second, "/api/v1/file/" + uuid + "/video?format=hls&start_frame=0&end_frame=300&segment=1", key);
  REQUIRE(other);
  CHECK(other->status == 200);

  // The first instance's segment is still its own.
  hits_before = hits();
  auto after_other = get(first, path, key);
  REQUIRE(after_other);
  CAPTURE(after_other->body);
  CHECK(after_other->status == 200);
  CHECK(hits() - hits_before == 1);
  CHECK(after_other->body == cached->body);

  // A temp cleaner removes every segment file: a miss that renders again.
  for (const auto& item : fs::recursive_directory_iterator(dir)) {
    if (item.is_regular_file() && item.path().extension() == ".ts") fs::remove(item.path());
  }
  double misses_before = misses();
  auto vanished = get(first, path, key);
  REQUIRE(vanished);
  CAPTURE(vanished->body);
  CHECK(vanished->status == 200);
  CHECK(misses() - misses_before == 1);
  CHECK(!vanished->body.empty());
  CHECK(fs::exists(foreign_temp));
  fs::remove_all(dir);
}

TEST_CASE("hls segment cache: concurrent requests for a segment that cannot be cached share one render") {
  const std::string& uuid = registered_fixture("long.mp4");
  const std::string path = "/api/v1/file/" + uuid + "/video/bbox?format=hls&start_frame=0&end_frame=149&segment=0";

  SUBCASE("larger than the cache's bound") {
    const std::string dir = fresh_cache_dir("tiny");
    TestServer server(config_with_cache(dir, 1));
    double misses_before = misses();
    double too_large_before = metrics::get().segment_cache_uncached.Add({{"reason", "too_large"}}).Value();
    auto results = concurrent_gets(server, path, 3);
    CHECK(misses() - misses_before == 1);
    CHECK(metrics::get().segment_cache_uncached.Add({{"reason", "too_large"}}).Value() - too_large_before == 1);
    for (const auto& [status, body] : results) {
      CHECK(status == 200);
      CHECK(!body.empty());
      CHECK(body == results[0].second);
    }
    fs::remove_all(dir);
  }
  SUBCASE("a cache directory that cannot be written") {
    const std::string parent = fresh_cache_dir("unwritable");
    fs::create_directories(fs::path(parent).parent_path());
    std::ofstream(parent) << "a file where the cache's parent directory should be";
    TestServer server(config_with_cache(parent + "/cache", 1ULL << 30));
    double misses_before = misses();
    double failed_before = metrics::get().segment_cache_uncached.Add({{"reason", "write_failed"}}).Value();
    auto results = concurrent_gets(server, path, 3);
    CHECK(misses() - misses_before == 1);
    CHECK(metrics::get().segment_cache_uncached.Add({{"reason", "write_failed"}}).Value() - failed_before >= 1);
    for (const auto& [status, body] : results) {
      CHECK(status == 200);
      CHECK(!body.empty());
      CHECK(body == results[0].second);
    }
    fs::remove(parent);
  }
}

TEST_CASE("hls segment cache: a uuid removed and registered again is drawn from its new detections") {
  TestServer server;
  std::string uuid = register_own_fixture("long.mp4");
  char dir[] = "/tmp/frameserve-hls-reregister-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  REQUIRE(import_box_at(uuid, dir, 20, false).exit_code == 0);
  httplib::Headers key = key_headers(all_files_key());
  const std::string path = "/api/v1/file/" + uuid + "/video/bbox?format=hls&start_frame=500&end_frame=560&segment=0";
  auto before = get(server, path, key);
  REQUIRE(before);
  REQUIRE(before->status == 200);

  // The README's way to replace a file: rm, add under the same uuid, import.
  REQUIRE(run_cli({"file", "rm", uuid}).exit_code == 0);
  REQUIRE(run_cli({"file", "add", "--uuid", uuid, fixture_path("long.mp4")}).exit_code == 0);
  REQUIRE(import_box_at(uuid, dir, 200, false).exit_code == 0);
  double misses_before = misses();
  auto after = get(server, path, key);
  REQUIRE(after);
  REQUIRE(after->status == 200);
  CHECK(misses() - misses_before == 1);
  CHECK(after->body != before->body);
  fs::remove_all(dir);
}

TEST_CASE("hls segment cache: HEAD of a cached segment answers what GET sends") {
  TestServer server;
  const std::string& uuid = registered_fixture("long.mp4");
  httplib::Headers key = key_headers(all_files_key());
  const std::string path = "/api/v1/file/" + uuid + "/video?format=hls&start_frame=300&end_frame=500&segment=1";
  auto rendered = get(server, path, key);
  REQUIRE(rendered);
  REQUIRE(rendered->status == 200);
  auto cached = get(server, path, key);
  REQUIRE(cached);
  REQUIRE(cached->status == 200);
  REQUIRE(cached->has_header("ETag"));

  auto client = server.client();
  auto head = client.Head(path.c_str(), key);
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->get_header_value("Content-Length") == std::to_string(cached->body.size()));
  CHECK(head->get_header_value("ETag") == cached->get_header_value("ETag"));
  CHECK(head->get_header_value("Accept-Ranges") == "bytes");
  CHECK(!head->has_header("Transfer-Encoding"));
  CHECK(head->get_header_value("Cache-Control") == cached->get_header_value("Cache-Control"));
}

TEST_CASE("hls cache policy: overlay playlists are private and follow re-imported detections") {
  TestServer server;
  std::string uuid = register_own_fixture("long.mp4");
  char dir[] = "/tmp/frameserve-hls-policy-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  REQUIRE(import_box_at(uuid, dir, 20, false).exit_code == 0);
  httplib::Headers key = key_headers(all_files_key());
  const std::string base = "/api/v1/file/" + uuid + "/video/";
  const std::string playlist_path = base + "bbox?format=hls&start_frame=500&end_frame=560";

  auto first = get(server, playlist_path, key);
  REQUIRE(first);
  REQUIRE(first->status == 200);
  std::string cache_control = first->get_header_value("Cache-Control");
  CHECK(cache_control.find("private") != std::string::npos);
  CHECK(cache_control.find("public") == std::string::npos);
  // A browser must ask again before it shows a stored playlist.
  CHECK(cache_control.find("no-cache") != std::string::npos);
  std::string old_etag = first->get_header_value("ETag");
  REQUIRE(!old_etag.empty());
  auto old_uris = playlist_uris(first->body);
  REQUIRE(old_uris.size() == 1);
  CHECK(old_uris[0].find("rev=") != std::string::npos);

  // Revalidating an unchanged playlist: 304.
  httplib::Headers conditional = key;
  conditional.emplace("If-None-Match", old_etag);
  auto unchanged = get(server, playlist_path, conditional);
  REQUIRE(unchanged);
  CHECK(unchanged->status == 304);

  auto old_segment = get(server, base + old_uris[0], key);
  REQUIRE(old_segment);
  REQUIRE(old_segment->status == 200);
  std::string segment_cache_control = old_segment->get_header_value("Cache-Control");
  CHECK(segment_cache_control.find("private") != std::string::npos);
  CHECK(segment_cache_control.find("public") == std::string::npos);
  auto old_cached = get(server, base + old_uris[0], key);
  REQUIRE(old_cached);
  CHECK(old_cached->status == 200);

  // After a re-import the browser's revalidation gets the new playlist,
  // whose segment URIs are new, and those segments the new boxes.
  REQUIRE(import_box_at(uuid, dir, 200, true).exit_code == 0);
  auto second = get(server, playlist_path, conditional);
  REQUIRE(second);
  REQUIRE(second->status == 200);
  CHECK(second->get_header_value("ETag") != old_etag);
  auto new_uris = playlist_uris(second->body);
  REQUIRE(new_uris.size() == 1);
  CHECK(new_uris[0] != old_uris[0]);
  auto new_segment = get(server, base + new_uris[0], key);
  REQUIRE(new_segment);
  REQUIRE(new_segment->status == 200);
  CHECK(new_segment->body != old_segment->body);
  // Cached now: the ETags of the two segments differ too.
  auto new_cached = get(server, base + new_uris[0], key);
  REQUIRE(new_cached);
  CHECK(!new_cached->get_header_value("ETag").empty());
  CHECK(new_cached->get_header_value("ETag") != old_cached->get_header_value("ETag"));

  // The overlay stream itself is private too; the plain video's playlist,
  // which depends on the media file only, is not shared either.
  auto client = server.client();
  auto stream_head = client.Head((base + "bbox?start_frame=500&end_frame=560").c_str(), key);
  REQUIRE(stream_head);
  CHECK(stream_head->status == 200);
  CHECK(stream_head->get_header_value("Cache-Control").find("private") != std::string::npos);
  auto plain = get(server, "/api/v1/file/" + uuid + "/video?format=hls&start_frame=500&end_frame=560", key);
  REQUIRE(plain);
  REQUIRE(plain->status == 200);
  CHECK(plain->get_header_value("Cache-Control").find("public") == std::string::npos);
  fs::remove_all(dir);
}
