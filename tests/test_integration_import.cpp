// `frameserve import` and the file commands, through the real CLI binary,
// against the real database.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "common/text.hpp"
#include "db/database.hpp"
#include "support/media_checks.hpp"
#include "support/test_env.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
std::string register_copy(const std::string& fixture) {
  CommandResult r = run_cli({"file", "add", fixture_path(fixture)});
  REQUIRE(r.exit_code == 0);
  return std::string(trim(r.out));
}

int64_t count(const std::string& sql, const std::string& uuid) {
  auto r = shared_app().database().query(sql.c_str(), {uuid});
  REQUIRE(r);
  return r->int64(0, 0);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* k_detections = "SELECT count(*) FROM detections WHERE file_uuid = $1::uuid";
const char* k_good = R"({"frame_number":1,"trace_id":7,"bbox":{"x":0,"y":0,"width":10,"height":10},"confidence":0.5})";
}  // namespace

TEST_CASE("import: jsonl and MOT of the same detections store the same rows") {
  std::string a = register_copy("noaudio.mp4");
  std::string b = register_copy("noaudio.mp4");
  CommandResult jsonl = run_cli({"import", a, fixture_path("noaudio.jsonl")});
  CHECK(jsonl.exit_code == 0);
  CommandResult mot = run_cli({"import", b, fixture_path("noaudio.mot.csv"), "--format", "mot"});
  CHECK(mot.exit_code == 0);
  const char* rows =
      "SELECT string_agg(trace_id || ':' || frame_number || ':' || x || ',' || y || ',' || width || ',' || height || ':' "
      "|| confidence, ';' ORDER BY trace_id, frame_number) FROM detections WHERE file_uuid = $1::uuid";
  auto ra = shared_app().database().query(rows, {a});
  auto rb = shared_app().database().query(rows, {b});
  REQUIRE(ra);
  REQUIRE(rb);
  CHECK(sha256_hex(ra->string(0, 0)) == sha256_hex(rb->string(0, 0)));
  CHECK(ra->string(0, 0).rfind("1:0:8,34,40,40:0.75;1:1:11,35,40,40:0.876;", 0) == 0);
  CHECK(count(k_detections, a) == 404);
}

TEST_CASE("import: identity names come back intact") {
  std::string uuid = register_copy("noaudio.mp4");
  REQUIRE(run_cli({"import", uuid, fixture_path("noaudio.jsonl")}).exit_code == 0);
  auto r = shared_app().database().query(
      "SELECT name FROM identities WHERE identity_uuid = '7d3f2a10-5b6c-4e8f-9a01-23456789abcd'");
  REQUIRE(r);
  REQUIRE(r->rows() == 1);
  CHECK(r->string(0, 0) == "O'Brien: \"x\", [y]; \\z %{n}");
  auto z = shared_app().database().query(
      "SELECT name FROM identities WHERE identity_uuid = '0f1e2d3c-4b5a-4968-8776-655443322110'");
  REQUIRE(z);
  CHECK(z->string(0, 0) == "Zo\xc3\xab \xc3\x9cnsal \xe5\xbc\xa0\xe4\xbc\x9f");
}

TEST_CASE("import: a bad line imports nothing and names the line") {
  std::string uuid = register_copy("noaudio.mp4");
  struct Case {
    const char* name;
    std::string content;
    const char* says;
  };
  std::string good = read_file(fixture_path("noaudio.jsonl"));
  const Case cases[] = {
      {"broken JSON on line 3", std::string(k_good) + "\n" + k_good + "\n{oops\n", "line 3: not valid JSON"},
      {"frame past the end",
       good + R"({"frame_number":150,"trace_id":9,"bbox":{"x":0,"y":0,"width":10,"height":10},"confidence":0.5})" +
           "\n",
       "line 405: frame_number 150 is outside the video (valid: 0 to 149)"},
      {"box outside the picture",
       R"({"frame_number":1,"trace_id":9,"bbox":{"x":300,"y":0,"width":30,"height":10},"confidence":0.5})",
       "x + width must be <= 320"},
      {"negative box",
       R"({"frame_number":1,"trace_id":9,"bbox":{"x":-1,"y":0,"width":30,"height":10},"confidence":0.5})",
       "x and y must be >= 0"},
      {"confidence above 1",
       R"({"frame_number":1,"trace_id":9,"bbox":{"x":1,"y":0,"width":30,"height":10},"confidence":1.5})",
       "outside [0, 1]"},
      {"duplicate", std::string(k_good) + "\n" + k_good + "\n",
       "line 2: trace 7 already has a detection on frame 1 (line 1)"},
      {"empty file", "\n\n", "holds no detections"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CommandResult r = run_cli({"import", uuid, "-"}, c.content);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(count(k_detections, uuid) == 0);
  }
  CommandResult mot =
      run_cli({"import", uuid, "-", "--format", "mot"}, "1,1,0,0,10,10,0.5,-1,-1,-1\n0,1,0,0,10,10,0.5,-1,-1,-1\n");
  CHECK(mot.exit_code == 3);
  CHECK(mot.err.find("line 2") != std::string::npos);
  CHECK(count(k_detections, uuid) == 0);
}

TEST_CASE("import: MOT lines with other than 9 or 10 numeric columns import nothing, even with --replace") {
  std::string uuid = register_copy("noaudio.mp4");
  REQUIRE(run_cli({"import", uuid, fixture_path("noaudio.jsonl")}).exit_code == 0);
  REQUIRE(count(k_detections, uuid) == 404);
  const std::string good = "1,1,0,0,10,10,0.5,-1,-1,-1\n";
  struct Case {
    const char* name;
    std::string second_line;
    const char* says;
  };
  const Case cases[] = {
      {"8 columns", "2,1,0,0,10,10,0.5,-1", "line 2: expected 9 or 10"},
      {"11 columns", "2,1,0,0,10,10,0.5,-1,-1,-1,3", "line 2: expected 9 or 10"},
      {"20 columns of junk", "2,1,0,0,10,10,0.5,-1,-1,-1,a,b,c,d,e,f,g,h,i,j", "got 20 fields"},
      {"junk text", "a,b,c", "line 2: expected 9 or 10"},
      {"fewer than 7", "2,1,0,0,10", "got 5 fields"},
      {"junk in a trailing column", "2,1,0,0,10,10,0.5,-1,-1,z", "line 2: column 10 (z)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CommandResult r = run_cli({"import", uuid, "-", "--format", "mot", "--replace"}, good + c.second_line + "\n");
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(c.says) != std::string::npos);
    // Atomic: the file keeps exactly what it had.
    CHECK(count(k_detections, uuid) == 404);
  }
  CommandResult ground_truth =
      run_cli({"import", uuid, "-", "--format", "mot", "--replace"}, "1,1,0,0,10,10,1,1,0.75\n");
  CHECK(ground_truth.exit_code == 0);
  CHECK(count(k_detections, uuid) == 1);
}

TEST_CASE("import: existing traces need --replace") {
  std::string uuid = register_copy("noaudio.mp4");
  REQUIRE(run_cli({"import", uuid, "-"}, std::string(k_good) + "\n").exit_code == 0);
  CommandResult again = run_cli({"import", uuid, "-"}, std::string(k_good) + "\n");
  CHECK(again.exit_code == 6);
  CHECK(again.err.find("--replace") != std::string::npos);
  CommandResult replaced = run_cli({"import", uuid, fixture_path("noaudio.jsonl"), "--replace"});
  CHECK(replaced.exit_code == 0);
  CHECK(count(k_detections, uuid) == 404);
  CHECK(count("SELECT detections_revision FROM files WHERE file_uuid = $1::uuid", uuid) == 2);
}

TEST_CASE("import and file commands: unknown files and bad arguments") {
  CHECK(run_cli({"import", "0123456789abcdef0123456789abcdef", fixture_path("noaudio.jsonl")}).exit_code == 5);
  CHECK(run_cli({"import", "nope", fixture_path("noaudio.jsonl")}).exit_code == 3);
  std::string uuid = register_copy("noaudio.mp4");
  CHECK(run_cli({"import", uuid, "/nonexistent.jsonl"}).exit_code == 3);
  CHECK(run_cli({"import", uuid, fixture_path("noaudio.jsonl"), "--format", "xml"}).exit_code == 2);

  CommandResult not_video = run_cli({"file", "add", fixture_path("noaudio.jsonl")});
  CHECK(not_video.exit_code == 3);
  CHECK(not_video.err.find("not a video") != std::string::npos);
  CHECK(run_cli({"file", "add", "/nonexistent.mp4"}).exit_code == 3);
  CHECK(run_cli({"file", "add", fixture_path("noaudio.mp4"), "--uuid", "XYZ"}).exit_code == 3);
  CHECK(run_cli({"file", "add", fixture_path("noaudio.mp4"), "--uuid", uuid}).exit_code == 6);

  CommandResult listed = run_cli({"file", "list", "--json"});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find(uuid) != std::string::npos);
  CHECK(run_cli({"file", "rm", uuid}).exit_code == 0);
  CHECK(run_cli({"file", "rm", uuid}).exit_code == 5);
  CHECK(run_cli({"migrate"}).out == "schema is up to date\n");
}
