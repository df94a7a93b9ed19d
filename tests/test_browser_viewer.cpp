// The viewer and hls.js in a real browser: Debian's chromium driven by
// playwright-core (web/node_modules) through the scenarios in
// tests/browser/*.mjs, against the real server on loopback with a fixture
// and its detections. Each scenario prints one line per check, which
// becomes a doctest check here; screenshots go to build/browser-artifacts/.
// Without chromium, node or playwright-core the test fails under
// scripts/run_tests.sh and is skipped (and listed) in a run by hand
// (support/skip_or_fail.hpp).
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "scene.hpp"
#include "support/skip_or_fail.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {

constexpr int k_exit_skip = 77;

// Why the browser tests cannot run here, or empty when they can.
std::string missing_browser_tools() {
  std::string chromium = env_or("FRAMESERVE_CHROMIUM", "/usr/bin/chromium");
  if (::access(chromium.c_str(), X_OK) != 0)
    return chromium + " is not installed (scripts/install_deps.sh installs Debian's chromium)";
  if (run_command({"/usr/bin/env", "node", "--version"}).exit_code != 0) return "node is not installed";
  std::string playwright = repo_root() + "/web/node_modules/playwright-core/package.json";
  if (::access(playwright.c_str(), R_OK) != 0)
    return "web/node_modules has no playwright-core (make build runs npm ci)";
  return "";
}

// Runs tests/browser/SCRIPT against `server`; each "ok"/"fail" line is a
// check; exit code 77 (the scenario could not start what it needs, said on
// a "skip" line) is skip_or_fail with the scenario's reason.
void run_scenario(TestServer& server, const std::string& script, const std::vector<std::string>& extra,
                  const std::string& file_uuid = "", const std::string& credential = "") {
  std::string missing = missing_browser_tools();
  if (!missing.empty()) {
    skip_or_fail("browser test " + script + ": " + missing);
    return;
  }
  const std::string uuid = file_uuid.empty() ? registered_fixture("bframes.mp4") : file_uuid;
  std::vector<std::string> argv = {"/usr/bin/env",
                                   "node",
                                   repo_root() + "/tests/browser/" + script,
                                   "http://127.0.0.1:" + std::to_string(server.port()),
                                   credential.empty() ? all_files_key() : credential,
                                   uuid,
                                   repo_root() + "/build/browser-artifacts/" + script.substr(0, script.find('.')),
                                   repo_root()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  CommandResult result = run_command(argv);
  std::istringstream lines(result.out);
  std::string line;
  int checks = 0;
  std::string cannot_run;
  while (std::getline(lines, line)) {
    if (line.rfind("ok ", 0) == 0) {
      ++checks;
      CHECK_MESSAGE(true, line.substr(3));
    } else if (line.rfind("fail ", 0) == 0) {
      ++checks;
      CHECK_MESSAGE(false, line.substr(5));
    } else if (line.rfind("skip ", 0) == 0) {
      cannot_run = line.substr(5);
    } else if (line.rfind("info ", 0) == 0) {
      MESSAGE(line.substr(5));
    }
  }
  if (result.exit_code == k_exit_skip) {
    skip_or_fail("browser test " + script + ": " + (cannot_run.empty() ? "exit code 77" : cannot_run));
    return;
  }
  CHECK_MESSAGE(result.exit_code == 0, script << " exited with " << result.exit_code << "; stdout: " << result.out
                                              << "; stderr: " << result.err);
  CHECK_MESSAGE(checks > 0, script << " reported no check");
}

// A hostile identity name, in markup that would run if parsed as HTML.
const std::string k_hostile_name =
    "<img src=x onerror=\"window.__frameserve_xss=true\"><b>Eve</b> & 'Mallory' </script><script>window.__frameserve_xss=true</script>";

// noaudio.mp4 registered again under its own uuid, with one trace whose
// identity carries k_hostile_name. Returns its file_uuid.
std::string register_hostile_file() {
  const std::string uuid = "0bad0000000000000000000000005c01";
  REQUIRE(run_cli({"file", "add", fixture_path("noaudio.mp4"), "--uuid", uuid}).exit_code == 0);
  std::string escaped;
  for (char c : k_hostile_name) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  std::filesystem::create_directories(repo_root() + "/build/browser-artifacts");
  const std::string path = repo_root() + "/build/browser-artifacts/hostile.jsonl";
  {
    std::ofstream out(path);
    for (int frame = 0; frame <= 20; ++frame) {
      out << "{\"frame_number\":" << frame << ",\"trace_id\":1,\"bbox\":{\"x\":40,\"y\":40,\"width\":60,\"height\":60},"
          << "\"confidence\":0.9,\"identity_uuid\":\"0bad0000-0000-4000-8000-000000005c01\",\"identity_name\":\""
          << escaped << "\"}\n";
    }
  }
  CommandResult imported = run_cli({"import", uuid, path});
  CAPTURE(imported.err);
  REQUIRE(imported.exit_code == 0);
  return uuid;
}

// A lead with many traces: long.mp4 (25 fps, 1500 frames) registered
// again, with k_lead on 120 five-frame traces (ids 1..120) in four scenes
// (frames 100-249, 400-549, 800-949, 1200-1349: 30 traces each) and
// k_second on two traces inside the lead's second and fourth scenes.
const std::string k_lead = "1ead0000-0000-4000-8000-000000000001";
const std::string k_second = "5ec00000-0000-4000-8000-000000000002";

std::string register_lead_file() {
  const std::string uuid = register_own_fixture("long.mp4");
  std::filesystem::create_directories(repo_root() + "/build/browser-artifacts");
  const std::string path = repo_root() + "/build/browser-artifacts/lead.jsonl";
  {
    std::ofstream out(path);
    auto line = [&](int frame, int trace, const std::string& identity, const char* name, int x) {
      out << "{\"frame_number\":" << frame << ",\"trace_id\":" << trace << ",\"bbox\":{\"x\":" << x
          << ",\"y\":60,\"width\":60,\"height\":60},\"confidence\":0.9,\"identity_uuid\":\"" << identity
          << "\",\"identity_name\":\"" << name << "\"}\n";
    };
    int trace = 1;
    for (int scene_start : {100, 400, 800, 1200}) {
      for (int t = 0; t < 30; ++t, ++trace) {
        for (int f = 0; f < 5; ++f) line(scene_start + t * 5 + f, trace, k_lead, "Lena Lead", 40 + (t % 10) * 8);
      }
    }
    for (int f = 420; f <= 520; ++f) line(f, 201, k_second, "Sam Second", 200);
    for (int f = 1250; f <= 1300; ++f) line(f, 202, k_second, "Sam Second", 200);
  }
  CommandResult imported = run_cli({"import", uuid, path});
  CAPTURE(imported.err);
  REQUIRE(imported.exit_code == 0);
  return uuid;
}

}  // namespace

TEST_CASE("browser: storyboard tiles on hover, presence strips, previews in the people grid, a lead's page in pages") {
  if (std::string missing = missing_browser_tools(); !missing.empty()) {
    skip_or_fail("browser test people_scenes.mjs: " + missing);
    return;
  }
  TestServer server;
  run_scenario(server, "people_scenes.mjs", {k_lead, k_second}, register_lead_file());
}

TEST_CASE("browser: the scene player plays HLS through hls.js and a jump to the third scene shows its first frame") {
  TestServer server;
  // The file's own /video?format=hls stands in for a scene video whose
  // scenes start at 0, 8 and 16 s.
  run_scenario(server, "scene_player.mjs", {}, registered_fixture("long.mp4"));
}

// The same scenario on to the scene video: "Play every scene" through
// hls.js, a jump to the third scene showing its first film frame, and
// "Scenes together". It needs GET .../identities/:id/video?format=hls and
// .../co-occur-with/:b/video?format=hls (render::RenderService's scene view).
TEST_CASE("browser: the scene video plays every scene through hls.js; a jump to the third shows its first frame") {
  if (std::string missing = missing_browser_tools(); !missing.empty()) {
    skip_or_fail("browser test people_scenes.mjs: " + missing);
    return;
  }
  TestServer server;
  run_scenario(server, "people_scenes.mjs", {k_lead, k_second, "scene-video"}, register_lead_file());
}

TEST_CASE("browser: the viewer walkthrough in chromium (sign in, people, trace, seek, step, co-occurrence)") {
  TestServer server;
  run_scenario(server, "viewer_walkthrough.mjs", {fixtures::Scene::audrey().uuid, fixtures::Scene::cary().uuid, "70"});
}

TEST_CASE("browser: hls.js plays /video/bbox?format=hls and shows the right frame at 80 %") {
  TestServer server;
  run_scenario(server, "hls_seek.mjs", {});
}

TEST_CASE("browser: names from imports are shown as text, never run (signed in with a JWT, opened by a frame link)") {
  if (std::string missing = missing_browser_tools(); !missing.empty()) {
    skip_or_fail("browser test hostile_names.mjs: " + missing);
    return;
  }
  TestServer server;
  const std::string uuid = register_hostile_file();
  // A JWT for this file only (TestServer's secret): the viewer sends it as
  // Authorization: Bearer, and as access_token in media URLs.
  CommandResult token = run_cli({"token", "create", "--file", uuid, "--ttl", "3600", "--jwt-secret", "test-secret"});
  REQUIRE(token.exit_code == 0);
  run_scenario(server, "hostile_names.mjs", {k_hostile_name}, uuid, std::string(trim(token.out)));
}

// Issue 8: A/V sync judged by Chromium's Media Source Extensions, the
// player of a browser <video> (libavformat's verdict is
// test_integration_av_sync.cpp). Every fragmented-MP4 stream kind from its
// first frame, where an encoder's delays and AAC's priming would show, a
// copy from mid-file, and HLS through hls.js; each flash's beep within 5 ms.
TEST_CASE("browser: chromium's MSE plays every stream kind with each beep within 5 ms of its flash") {
  TestServer server;
  const std::string& uuid = registered_fixture("flashbeep.mp4");
  // NAME|PATH@FLASHES: the fixture flashes on frames 11, 40, 68, 97 and 127.
  run_scenario(
      server, "av_sync.mjs",
      {"/video/bbox|/video/bbox?start_frame=0&end_frame=75@3",
       "/video?mode=debug|/video?mode=debug&start_frame=0&end_frame=75@3",
       "/trace/2/video|/trace/2/video?pad_frames=5@3", "stream copy from frame 0|/video?start_frame=0&end_frame=75@3",
       "stream copy from mid-file|/video?start_frame=45&end_frame=110@3",
       "HLS through hls.js|/video/bbox?format=hls&start_frame=0&end_frame=75@3"},
      uuid);
}
