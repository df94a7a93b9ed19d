// Files that change under us (issue 21 §7): a registered file that is
// overwritten, rewritten in place, deleted, moved or merely touched, through
// the real server, CLI, PostgreSQL and ffmpeg. A replaced file is a 409
// file_changed and a missing one a 410 file_missing naming the path — never
// an ffmpeg 500 and never a frame of the other video; `file check` reports
// both and `file relink` accepts the same file at a new path only.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include <rapidjson/document.h>

#include "common/text.hpp"
#include "support/media_checks.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;
namespace fs = std::filesystem;

namespace {

// A temporary directory, removed with what is in it.
struct TempDir {
  std::string path;
  TempDir() {
    char name[] = "/tmp/frameserve-filechange.XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    path = name;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
};

// Copies a fixture to `to`, writing over (and into the inode of) what is
// there, as `cp` does.
void copy_fixture(const std::string& fixture, const std::string& to) {
  fs::copy_file(fixture_path(fixture), to, fs::copy_options::overwrite_existing);
}

std::string register_path(const std::string& path) {
  CommandResult added = run_cli({"file", "add", path});
  REQUIRE(added.exit_code == 0);
  return std::string(trim(added.out));
}

httplib::Result get(TestServer& server, const std::string& uuid, const std::string& rest) {
  auto client = server.client();
  return client.Get(("/api/v1/file/" + uuid + rest).c_str(), key_headers(all_files_key()));
}

// The JSON error code of a response body ("" when there is none).
std::string error_code(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("error")) return "";
  return doc["error"]["code"].GetString();
}

// The `state` of GET /api/v1/file/:uuid.
std::string state_of(TestServer& server, const std::string& uuid) {
  auto res = get(server, uuid, "");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  REQUIRE(doc.IsObject());
  REQUIRE(doc["file"].HasMember("state"));
  return doc["file"]["state"].GetString();
}

// Sets a file's mtime (ns since the epoch); its ctime becomes now.
void set_mtime(const std::string& path, int64_t mtime_ns) {
  struct timespec times[2];
  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;
  times[1].tv_sec = mtime_ns / 1000000000;
  times[1].tv_nsec = mtime_ns % 1000000000;
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

int64_t mtime_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// The media routes a test walks, with a frame past the 120th.
const std::vector<std::string> k_media_routes = {
    "/thumbnail?frame=120",
    "/clip?start_frame=100&end_frame=120",
    "/video",
    "/video?format=hls",
};

void check_every_media_route(TestServer& server, const std::string& uuid, int status, const std::string& code,
                             const std::string& fragment) {
  for (const std::string& route : k_media_routes) {
    CAPTURE(route);
    auto res = get(server, uuid, route);
    REQUIRE(res);
    CHECK(res->status == status);
    CHECK(res->get_header_value("Content-Type") == "application/json");
    CHECK(error_code(res->body) == code);
    CHECK(res->body.find(fragment) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("file change: a file overwritten by another video is 409 file_changed, never the other video's frame") {
  TempDir dir;
  const std::string video = dir / "film.mp4";
  copy_fixture("noaudio.mp4", video);
  const std::string uuid = register_path(video);
  TestServer server;
  auto before = get(server, uuid, "/thumbnail?frame=120");
  REQUIRE(before);
  REQUIRE(before->status == 200);
  CHECK(state_of(server, uuid) == "ok");

  // Another 320x240 MP4 of 150 frames: ffmpeg would happily decode its frame 120.
  copy_fixture("vfr.mp4", video);
  check_every_media_route(server, uuid, 409, "file_changed", "register it again");
  CHECK(count_children("ffmpeg") == 0);
  CHECK(state_of(server, uuid) == "changed");

  // The CLI's media commands check the same way (exit code 6, conflict).
  CommandResult thumb = run_cli({"thumbnail", uuid, "--frame", "120", "-o", "-"});
  CHECK(thumb.exit_code == 6);
  CHECK(thumb.err.find("register it again") != std::string::npos);
  CHECK(thumb.out.empty());
}

TEST_CASE("file change: other bytes of the same size under the registered mtime are still file_changed") {
  TempDir dir;
  const std::string video = dir / "film.mp4";
  copy_fixture("noaudio.mp4", video);
  const std::string uuid = register_path(video);
  const int64_t registered_mtime = mtime_of(video);
  {
    // Rewrite a few bytes near the start in place, then put the mtime back
    // (as `cp -p` or `rsync -t` would): only the ctime and the bytes differ.
    std::fstream file(video, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(2000);
    file.write("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
  }
  set_mtime(video, registered_mtime);
  TestServer server;
  check_every_media_route(server, uuid, 409, "file_changed", "content differs");
}

TEST_CASE("file change: a deleted file is 410 file_missing naming its path; file check reports missing and changed") {
  TempDir dir;
  const std::string gone = dir / "gone.mp4";
  const std::string replaced = dir / "replaced.mp4";
  const std::string intact = dir / "intact.mp4";
  copy_fixture("noaudio.mp4", gone);
  copy_fixture("noaudio.mp4", replaced);
  copy_fixture("noaudio.mp4", intact);
  const std::string gone_uuid = register_path(gone);
  const std::string replaced_uuid = register_path(replaced);
  const std::string intact_uuid = register_path(intact);

  CommandResult all_ok = run_cli({"file", "check", gone_uuid, replaced_uuid, intact_uuid});
  CHECK(all_ok.exit_code == 0);

  REQUIRE(::unlink(gone.c_str()) == 0);
  copy_fixture("bframes.mp4", replaced);
  TestServer server;
  check_every_media_route(server, gone_uuid, 410, "file_missing", gone);
  CHECK(count_children("ffmpeg") == 0);
  CHECK(state_of(server, gone_uuid) == "missing");
  CHECK(state_of(server, intact_uuid) == "ok");
  // JSON routes answer from the database.
  auto traces = get(server, gone_uuid, "/traces");
  REQUIRE(traces);
  CHECK(traces->status == 200);

  CommandResult checked = run_cli({"file", "check", gone_uuid, replaced_uuid, intact_uuid});
  CAPTURE(checked.out);
  CAPTURE(checked.err);
  CHECK(checked.exit_code == 10);  // any missing
  auto lines = split(trim(checked.out), '\n');
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].find(gone_uuid + "  missing") == 0);
  CHECK(lines[0].find(gone) != std::string::npos);
  CHECK(lines[1].find(replaced_uuid + "  changed") == 0);
  CHECK(lines[2].find(intact_uuid + "  ok") == 0);
  CHECK(run_cli({"file", "check", replaced_uuid}).exit_code == 6);  // changed, none missing
  CHECK(run_cli({"file", "check", intact_uuid}).exit_code == 0);

  CommandResult listed = run_cli({"file", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  rapidjson::Document doc;
  doc.Parse(listed.out.c_str());
  REQUIRE(doc.IsArray());
  int seen = 0;
  for (const auto& f : doc.GetArray()) {
    std::string id = f["file_uuid"].GetString();
    std::string state = f["state"].GetString();
    if (id == gone_uuid) CHECK(state == "missing");
    if (id == replaced_uuid) CHECK(state == "changed");
    if (id == intact_uuid) CHECK(state == "ok");
    seen += id == gone_uuid || id == replaced_uuid || id == intact_uuid;
  }
  CHECK(seen == 3);
}

TEST_CASE("file change: file relink accepts the same file at a new path and refuses another file") {
  TempDir dir;
  const std::string old_path = dir / "old.mp4";
  const std::string new_path = dir / "moved/new.mp4";
  const std::string other = dir / "other.mp4";
  copy_fixture("noaudio.mp4", old_path);
  copy_fixture("bframes.mp4", other);
  const std::string uuid = register_path(old_path);
  TestServer server;
  auto before = get(server, uuid, "/thumbnail?frame=120");
  REQUIRE(before);
  REQUIRE(before->status == 200);

  fs::create_directories(dir / "moved");
  fs::rename(old_path, new_path);
  check_every_media_route(server, uuid, 410, "file_missing", old_path);

  // Another video is refused, and nothing changes.
  CommandResult refused = run_cli({"file", "relink", uuid, other});
  CHECK(refused.exit_code == 6);
  CHECK(refused.err.find("is not the file registered as " + uuid) != std::string::npos);
  CHECK(refused.err.find(other) != std::string::npos);
  CHECK(state_of(server, uuid) == "missing");
  // So is a nonexistent path.
  CHECK(run_cli({"file", "relink", uuid, dir / "nothing.mp4"}).exit_code == 3);
  // The same bytes with one of them altered at the end are refused too.
  const std::string altered = dir / "altered.mp4";
  fs::copy_file(new_path, altered);
  {
    std::fstream file(altered, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-10, std::ios::end);
    file.write("\xff", 1);
  }
  CommandResult altered_refused = run_cli({"file", "relink", uuid, altered});
  CHECK(altered_refused.exit_code == 6);
  CHECK(altered_refused.err.find("content differs") != std::string::npos);

  CommandResult relinked = run_cli({"file", "relink", uuid, new_path});
  CAPTURE(relinked.err);
  REQUIRE(relinked.exit_code == 0);
  CHECK(state_of(server, uuid) == "ok");
  auto after = get(server, uuid, "/thumbnail?frame=120");
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(after->body == before->body);
  auto row = shared_app().files().find(uuid);
  REQUIRE(row);
  CHECK(row->path == new_path);
  CHECK(run_cli({"file", "check", uuid}).exit_code == 0);
}

TEST_CASE("file change: a touched file with the same bytes is still served, and its new mtime recorded") {
  TempDir dir;
  const std::string video = dir / "film.mp4";
  copy_fixture("noaudio.mp4", video);
  const std::string uuid = register_path(video);
  TestServer server;
  auto before = get(server, uuid, "/thumbnail?frame=120");
  REQUIRE(before);
  REQUIRE(before->status == 200);

  const int64_t touched = mtime_of(video) + 3600LL * 1000000000;
  set_mtime(video, touched);
  auto after = get(server, uuid, "/thumbnail?frame=120");
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(after->body == before->body);
  // The fingerprint matched: the new stat is recorded, so the next request
  // is a stat again.
  auto row = shared_app().files().find(uuid);
  REQUIRE(row);
  CHECK(row->info.mtime_ns == touched);
  CHECK(state_of(server, uuid) == "ok");
  CHECK(run_cli({"file", "check", uuid}).exit_code == 0);
}

TEST_CASE("file change: a file registered before fingerprints gets one on its first check, if unchanged") {
  TempDir dir;
  const std::string kept = dir / "kept.mp4";
  const std::string touched = dir / "touched.mp4";
  copy_fixture("noaudio.mp4", kept);
  copy_fixture("noaudio.mp4", touched);
  const std::string kept_uuid = register_path(kept);
  const std::string touched_uuid = register_path(touched);
  // As migration 008 leaves the rows of files registered before it.
  for (const std::string& uuid : {kept_uuid, touched_uuid}) {
    auto cleared = shared_app().database().query(
        "UPDATE files SET ctime_ns = NULL, fingerprint = NULL WHERE file_uuid = $1::uuid", {uuid});
    REQUIRE(cleared);
    auto row = shared_app().files().find(uuid);
    REQUIRE(row);
    REQUIRE(row->fingerprint.empty());
  }
  set_mtime(touched, mtime_of(touched) + 1000000000);
  TestServer server;

  auto served = get(server, kept_uuid, "/thumbnail?frame=120");
  REQUIRE(served);
  CHECK(served->status == 200);
  auto row = shared_app().files().find(kept_uuid);
  REQUIRE(row);
  CHECK(row->fingerprint.size() == 64);
  CHECK(row->ctime_ns != 0);

  // Its mtime differs and there is nothing to compare its bytes with.
  auto refused = get(server, touched_uuid, "/thumbnail?frame=120");
  REQUIRE(refused);
  CHECK(refused->status == 409);
  CHECK(error_code(refused->body) == "file_changed");
}
