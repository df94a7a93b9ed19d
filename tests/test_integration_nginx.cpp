// frameserve behind a real nginx: the configuration `frameserve nginx-config`
// generates, and a default-ish nginx proxy (HTTP/1.0 to the upstream,
// buffering on). Streams pass through unbuffered and carry back-pressure,
// whole files go out through nginx with X-Accel-Redirect, vanished clients
// take their ffmpeg with them, nothing leaks from a cache, and requests
// carry an id into every log line.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <dirent.h>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "app/nginx_config.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "http/access_log.hpp"
#include "http/file_response.hpp"
#include "support/media_checks.hpp"
#include "support/nginx_server.hpp"
#include "support/raw_http.hpp"
#include "support/stderr_capture.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"
#include "support/wait_until.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
std::string fixtures_dir() { return env_or("FRAMESERVE_FIXTURES", "build/fixtures"); }

std::string absolute(const std::string& path) {
  char resolved[4096];
  return ::realpath(path.c_str(), resolved) ? std::string(resolved) : path;
}

constexpr auto generated_config = generated_proxy_config;  // what `frameserve nginx-config` prints

// nginx as most people first write it: HTTP/1.0 to the upstream, buffering
// on, nothing else said.
std::string default_proxy_config(const std::string& prefix, int port, const void* context) {
  const auto& upstream = *static_cast<const ProxyTarget*>(context);
  std::ostringstream c;
  c << "pid " << prefix << "/nginx.pid;\nerror_log " << prefix << "/error.log;\nevents {}\nhttp {\n"
    << "  client_body_temp_path " << prefix << "/body;\n  proxy_temp_path " << prefix << "/proxy;\n"
    << "  fastcgi_temp_path " << prefix << "/fastcgi;\n  uwsgi_temp_path " << prefix << "/uwsgi;\n"
    << "  scgi_temp_path " << prefix << "/scgi;\n  access_log " << prefix << "/access.log;\n"
    << "  server {\n    listen 127.0.0.1:" << port << ";\n"
    << "    location / { proxy_pass http://127.0.0.1:" << upstream.upstream_port << "; }\n  }\n}\n";
  return c.str();
}

// The default proxy told to ignore X-Accel-Buffering: what the issue measured
// before frameserve sent the header.
std::string spooling_proxy_config(const std::string& prefix, int port, const void* context) {
  std::string text = default_proxy_config(prefix, port, context);
  text.insert(text.find("  server {"), "  proxy_ignore_headers X-Accel-Buffering;\n");
  return text;
}

std::string key_header() { return "X-API-Key: " + all_files_key() + "\r\n"; }

// Pids of this process's children named `name`.
std::vector<pid_t> own_children(const std::string& name) {
  std::vector<pid_t> pids;
  DIR* dir = ::opendir("/proc");
  if (!dir) return pids;
  while (dirent* entry = ::readdir(dir)) {
    std::string pid = entry->d_name;
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream file("/proc/" + pid + "/stat");
    std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    size_t close = stat.rfind(')');
    if (close == std::string::npos || stat.find("(" + name + ")") == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state;
    pid_t ppid;
    rest >> state >> ppid;
    if (ppid == ::getpid()) pids.push_back(std::stoi(pid));
  }
  ::closedir(dir);
  return pids;
}

// A process's kernel wait channel and CPU time (utime + stime, in ticks).
struct ProcessSample {
  std::string wchan;
  long long cpu = -1;
};

ProcessSample sample(pid_t pid) {
  ProcessSample s;
  std::ifstream wchan("/proc/" + std::to_string(pid) + "/wchan");
  std::getline(wchan, s.wchan);
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return s;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  long long utime = 0, stime = 0;
  // Fields after the name start at field 3 (state); utime is 14, stime 15.
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  s.cpu = utime + stime;
  return s;
}

// True once `pid` sits blocked writing to its stdout pipe, using no CPU, over
// several consecutive samples: the viewer's back-pressure has reached it. A
// process that exits (it wrote everything into buffers) never qualifies.
bool blocked_on_its_pipe(pid_t pid, std::chrono::seconds within) {
  int steady = 0;
  long long last_cpu = -2;
  bool gone = false;
  wait_until(
      [&] {
        ProcessSample s = sample(pid);
        gone = s.cpu < 0;
        bool blocked = s.wchan.find("pipe_write") != std::string::npos && s.cpu == last_cpu;
        steady = blocked ? steady + 1 : 0;
        last_cpu = s.cpu;
        return gone || steady >= 5;
      },
      within, std::chrono::milliseconds(200));
  return !gone && steady >= 5;
}

std::string header_of(const std::string& head, const std::string& name) {
  std::string lower = to_lower_ascii(head);
  size_t at = lower.find("\r\n" + to_lower_ascii(name) + ":");
  if (at == std::string::npos) return "";
  size_t start = at + 3 + name.size();
  size_t end = head.find("\r\n", start);
  return std::string(trim(std::string_view(head).substr(start, end - start)));
}
}  // namespace

TEST_CASE("nginx-config prints a configuration nginx accepts, and refuses bad input") {
  CommandResult one = run_cli({"nginx-config", "--listen", "127.0.0.1:8080", "--upstream", "127.0.0.1:8081"});
  REQUIRE(one.exit_code == 0);
  CHECK(one.out.find("proxy_http_version 1.1;") != std::string::npos);
  CHECK(one.out.find("keepalive 32;") != std::string::npos);
  CHECK(one.out.find("proxy_read_timeout 21610s;") != std::string::npos);
  CHECK(one.out.find("hash ") == std::string::npos);
  CHECK(one.out.find("location /_frameserve_files/ {") != std::string::npos);

  CommandResult three =
      run_cli({"nginx-config", "--listen", "0.0.0.0:80", "--upstream", "10.0.0.1:8080", "--upstream", "10.0.0.2:8080",
               "--upstream", "10.0.0.3:8080", "--media-root", "/srv/media", "--stream-timeout", "600"});
  REQUIRE(three.exit_code == 0);
  CHECK(three.out.find("hash $frameserve_file_uuid consistent;") != std::string::npos);
  CHECK(three.out.find("server 10.0.0.3:8080 max_fails=1 fail_timeout=10s;") != std::string::npos);
  CHECK(three.out.find("proxy_next_upstream_tries 3;") != std::string::npos);
  CHECK(three.out.find("proxy_read_timeout 610s;") != std::string::npos);
  CHECK(three.out.find("location /_frameserve_files/srv/media/ {") != std::string::npos);

  // nginx itself parses both (relative paths: resolved against -p).
  for (const std::string* text : {&one.out, &three.out}) {
    char tmpl[] = "/tmp/frameserve-nginx-t.XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    std::string dir = tmpl;
    std::ofstream(dir + "/nginx.conf") << *text;
    CommandResult t = run_command({"/usr/sbin/nginx", "-t", "-q", "-p", dir, "-c", dir + "/nginx.conf"});
    CAPTURE(t.err);
    CHECK(t.exit_code == 0);
    run_command({"/bin/rm", "-rf", dir});
  }

  CommandResult bad_listen = run_cli({"nginx-config", "--listen", "8080", "--upstream", "127.0.0.1:8081"});
  CHECK(bad_listen.exit_code == 3);
  CHECK(bad_listen.err.find("--listen") != std::string::npos);
  CommandResult bad_root = run_cli(
      {"nginx-config", "--listen", "127.0.0.1:8080", "--upstream", "127.0.0.1:8081", "--media-root", "/srv/my media;"});
  CHECK(bad_root.exit_code == 3);
  CHECK(bad_root.err.find("--media-root") != std::string::npos);
  CHECK(run_cli({"nginx-config", "--listen", "127.0.0.1:8080"}).exit_code == 2);
}

TEST_CASE("X-Accel-Redirect targets only files inside the media roots") {
  std::string fixtures = absolute(fixtures_dir());
  std::string file = fixtures + "/bframes.mp4";
  auto inside = http::accel_redirect_target({fixtures}, file);
  REQUIRE(inside);
  CHECK(*inside == "/_frameserve_files" + file);
  CHECK_FALSE(http::accel_redirect_target({fixtures + "/sub"}, file));
  CHECK_FALSE(http::accel_redirect_target({}, file));
  CHECK_FALSE(http::accel_redirect_target({fixtures}, fixtures + "/missing.mp4"));
  // "/a/b" is not inside "/a/bc": whole path components only.
  CHECK_FALSE(http::accel_redirect_target({fixtures.substr(0, fixtures.size() - 1)}, file));
  // A symlink inside a root that points outside it is outside.
  char tmpl[] = "/tmp/frameserve-root.XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  std::string root = tmpl;
  REQUIRE(::symlink(file.c_str(), (root + "/link.mp4").c_str()) == 0);
  CHECK_FALSE(http::accel_redirect_target({root}, root + "/link.mp4"));
  run_command({"/bin/rm", "-rf", root});
}

TEST_CASE("whole-file /video through nginx's sendfile answers as nginx serving the file") {
  app::ServerConfig config = TestServer::test_config();
  config.accel_redirect = true;
  config.media_roots = {absolute(fixtures_dir())};
  TestServer server(config);
  ProxyTarget upstream{server.port(), config.media_roots};
  NginxServer proxy(generated_config, &upstream);
  NginxServer reference(fixtures_dir());
  const std::string& uuid = registered_fixture("bframes.mp4");
  std::string path = "/api/v1/file/" + uuid + "/video";
  httplib::Client theirs_client("127.0.0.1", reference.port());
  httplib::Client ours_client("127.0.0.1", proxy.port());

  auto full = theirs_client.Get("/bframes.mp4");
  REQUIRE(full);
  std::string etag = full->get_header_value("ETag");
  const std::vector<httplib::Headers> cases = {
      {},
      {{"Range", "bytes=0-99"}},
      {{"Range", "bytes=1000-"}},
      {{"Range", "bytes=-500"}},
      {{"Range", "bytes=999999999-"}},
      {{"Range", "bytes=abc"}},
      {{"Range", "bytes=0-9,20-29"}},
      {{"Range", "bytes=0-9"}, {"If-Range", etag}},
      {{"Range", "bytes=0-9"}, {"If-Range", "\"stale\""}},
      {{"If-None-Match", etag}},
  };
  for (const httplib::Headers& headers : cases) {
    std::string description;
    for (const auto& [k, v] : headers) description += k + ": " + v + "; ";
    CAPTURE(description);
    auto theirs = theirs_client.Get("/bframes.mp4", headers);
    httplib::Headers ours_headers = headers;
    ours_headers.emplace("X-API-Key", all_files_key());
    auto ours = ours_client.Get(path.c_str(), ours_headers);
    REQUIRE(theirs);
    REQUIRE(ours);
    CHECK(ours->status == theirs->status);
    CHECK(ours->get_header_value("Content-Range") == theirs->get_header_value("Content-Range"));
    if (theirs->status == 200 || theirs->status == 206) {
      CHECK(ours->get_header_value("Content-Length") == theirs->get_header_value("Content-Length"));
    }
    CHECK(ours->get_header_value("ETag") == theirs->get_header_value("ETag"));
    CHECK(ours->get_header_value("Last-Modified") == theirs->get_header_value("Last-Modified"));
    CHECK_FALSE(ours->has_header("X-Accel-Redirect"));
    CHECK(ours->has_header("X-Request-Id"));
    std::string type = theirs->get_header_value("Content-Type");
    if (type.rfind("multipart/byteranges", 0) == 0) {
      // Each nginx numbers its own boundaries; the parts are compared by size.
      CHECK(ours->get_header_value("Content-Type").rfind("multipart/byteranges; boundary=", 0) == 0);
    } else if (theirs->status == 200 || theirs->status == 206) {
      CHECK(ours->get_header_value("Content-Type") == type);
      CHECK(sha256_hex(ours->body) == sha256_hex(theirs->body));
    }
  }
  auto head_theirs = theirs_client.Head("/bframes.mp4");
  auto head_ours = ours_client.Head(path.c_str(), key_headers(all_files_key()));
  REQUIRE(head_theirs);
  REQUIRE(head_ours);
  CHECK(head_ours->status == 200);
  CHECK(head_ours->get_header_value("Content-Length") == head_theirs->get_header_value("Content-Length"));

  // The authorisation is still frameserve's: nothing without credentials.
  auto anonymous = ours_client.Get(path.c_str());
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
}

TEST_CASE("files outside the media roots still stream from frameserve through nginx") {
  char tmpl[] = "/tmp/frameserve-root.XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  app::ServerConfig config = TestServer::test_config();
  config.accel_redirect = true;
  config.media_roots = {tmpl};
  TestServer server(config);
  ProxyTarget upstream{server.port(), config.media_roots};
  NginxServer proxy(generated_config, &upstream);
  const std::string& uuid = registered_fixture("bframes.mp4");
  httplib::Client client("127.0.0.1", proxy.port());
  auto res = client.Get(("/api/v1/file/" + uuid + "/video").c_str(),
                        {{"X-API-Key", all_files_key()}, {"Range", "bytes=10-19"}});
  REQUIRE(res);
  CHECK(res->status == 206);
  CHECK(res->get_header_value("Content-Range").rfind("bytes 10-19/", 0) == 0);
  std::ifstream in(fixture_path("bframes.mp4"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(res->body == bytes.substr(10, 10));
  run_command({"/bin/rm", "-rf", tmpl});
}

TEST_CASE("an HTTP/1.0 request gets a close-delimited stream, never chunked") {
  TestServer server;
  const std::string& uuid = registered_fixture("bframes.mp4");
  std::string target = "/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=23";
  RawConnection raw(server.port(), target, key_header(), "HTTP/1.0");
  std::string response = raw.read_at_least(100 * 1000 * 1000, std::chrono::seconds(60));
  size_t head_end = response.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  std::string head = response.substr(0, head_end + 2);
  CAPTURE(head);
  CHECK(head.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(header_of(head, "Transfer-Encoding").empty());
  CHECK(header_of(head, "Content-Length").empty());
  CHECK(header_of(head, "X-Accel-Buffering") == "no");
  CHECK(to_lower_ascii(header_of(head, "Connection")) == "close");
  // The body is the stream itself, up to the close: 24 frames.
  CHECK(probe_stream_counts(response.substr(head_end + 4)).rfind("video:24", 0) == 0);

  // Through a default nginx (HTTP/1.0 upstream), the client gets it whole.
  ProxyTarget upstream{server.port(), {}};
  NginxServer proxy(default_proxy_config, &upstream);
  httplib::Client client("127.0.0.1", proxy.port());
  auto res = client.Get(target.c_str(), key_headers(all_files_key()));
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(probe_stream_counts(res->body).rfind("video:24", 0) == 0);
}

// A stream far larger than every buffer between ffmpeg and the viewer
// (pipe, both sockets' kernel buffers, which grow to megabytes on loopback,
// nginx's own): 150 frames of lossless noise, about 24 MB, made in a second.
// Stream-copied, it shows whether the viewer's pause reaches ffmpeg.
struct BigFile {
  std::string dir;
  std::string uuid;
  BigFile() {
    char tmpl[] = "/tmp/frameserve-big.XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    std::string path = dir + "/noise.mp4";
    CommandResult made = run_command({ffmpeg_path(), "-v", "error", "-f", "lavfi", "-i",
                                      "testsrc2=s=320x240:r=25:d=6,noise=alls=80:allf=t", "-c:v", "libx264", "-preset",
                                      "ultrafast", "-qp", "0", "-g", "25", "-pix_fmt", "yuv420p", path});
    if (made.exit_code != 0) throw std::runtime_error("ffmpeg could not make the big file: " + made.err);
    CommandResult added = run_cli({"file", "add", path});
    if (added.exit_code != 0) throw std::runtime_error("file add failed: " + added.err);
    uuid = std::string(trim(added.out));
  }
  ~BigFile() {
    run_cli({"file", "rm", uuid});
    run_command({"/bin/rm", "-rf", dir});
  }
};

TEST_CASE("a paused viewer behind nginx holds back ffmpeg") {
  TestServer server;
  BigFile big;
  std::string stream = "/api/v1/file/" + big.uuid + "/video?start_frame=0&end_frame=149";
  ProxyTarget upstream{server.port(), {}};
  auto check_back_pressure = [&](NginxServer& proxy) {
    // Connection: close, so that the end of the response is the end of the
    // connection and reading it to the end returns there.
    RawConnection viewer(proxy.port(), stream, key_header() + "Connection: close\r\n", ReceiveBuffer::small);
    std::string head = viewer.read_at_least(100, std::chrono::seconds(20));
    REQUIRE(head.rfind("HTTP/1.1 200", 0) == 0);
    std::vector<pid_t> ffmpeg = own_children("ffmpeg");
    REQUIRE(ffmpeg.size() == 1);
    // The viewer reads nothing more: with nginx passing the stream through,
    // ffmpeg ends up blocked on its output pipe, burning no CPU, instead of
    // copying everything into nginx's temporary file.
    CHECK(blocked_on_its_pipe(ffmpeg.front(), std::chrono::seconds(30)));
    // It resumes when the viewer does: the whole stream arrives (a copy of
    // the 24 MB file, far more than the pipe and socket buffers hold).
    std::string rest = viewer.read_at_least(100 * 1000 * 1000, std::chrono::seconds(60));
    MESSAGE("read " << head.size() + rest.size() << " bytes in all");
    CHECK(head.size() + rest.size() >= 20 * 1000 * 1000);
    viewer.abort();
    CHECK(ffmpeg_children_gone());
  };
  SUBCASE("the generated configuration (HTTP/1.1, keep-alive)") {
    NginxServer proxy(generated_config, &upstream);
    check_back_pressure(proxy);
  }
  SUBCASE("a default nginx (HTTP/1.0, proxy_buffering on): X-Accel-Buffering: no turns it off") {
    NginxServer proxy(default_proxy_config, &upstream);
    check_back_pressure(proxy);
  }
  SUBCASE("control: an nginx that ignores X-Accel-Buffering spools the stream, and ffmpeg never waits") {
    NginxServer proxy(spooling_proxy_config, &upstream);
    RawConnection viewer(proxy.port(), stream, key_header(), ReceiveBuffer::small);
    REQUIRE(viewer.read_at_least(100, std::chrono::seconds(20)).rfind("HTTP/1.1 200", 0) == 0);
    std::vector<pid_t> ffmpeg = own_children("ffmpeg");
    if (!ffmpeg.empty()) CHECK_FALSE(blocked_on_its_pipe(ffmpeg.front(), std::chrono::seconds(30)));
    viewer.abort();
    CHECK(ffmpeg_children_gone());
  }
}

TEST_CASE("a client that goes away behind nginx takes its ffmpeg with it") {
  TestServer server;
  ProxyTarget upstream{server.port(), {}};
  NginxServer proxy(generated_config, &upstream);
  const std::string& uuid = registered_fixture("long.mp4");
  const std::vector<std::string> targets = {
      "/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=1499",
      "/api/v1/file/" + uuid + "/video?start_frame=0&end_frame=1499&audio=off",
      "/api/v1/file/" + uuid + "/video/bbox?start_frame=0&end_frame=1499",
  };
  for (const std::string& target : targets) {
    CAPTURE(target);
    RawConnection viewer(proxy.port(), target, key_header());
    std::string head = viewer.read_at_least(2000, std::chrono::seconds(20));
    REQUIRE(head.rfind("HTTP/1.1 200", 0) == 0);
    // A stream copy of this small fixture can be complete (ffmpeg done,
    // its output in the socket buffers) before the first read returns, so
    // only the re-encodes are sure to have their ffmpeg still running.
    const bool copy = target.find("/video?") != std::string::npos;
    if (!copy) CHECK(count_children("ffmpeg") >= 1);
    viewer.abort();
    // Unread, the whole fixture's stream would keep its ffmpeg blocked on
    // its pipe until the 6 h stream deadline: only the client's leaving
    // (seen through nginx) can end it within the wait.
    CHECK(ffmpeg_children_gone());
  }
}

TEST_CASE("nothing leaks from a cache: a caller without access is refused while others get the image") {
  TestServer server;
  ProxyTarget upstream{server.port(), {}};
  NginxServer proxy(generated_config, &upstream);
  const std::string& uuid = registered_fixture("bframes.mp4");
  const std::string& other = registered_fixture("noaudio.mp4");
  CommandResult key = run_cli({"key", "create", "--file", other, "--name", "other-file-only"});
  REQUIRE(key.exit_code == 0);
  std::string other_key(trim(key.out));
  httplib::Client client("127.0.0.1", proxy.port());
  for (const std::string& target :
       {"/api/v1/file/" + uuid + "/thumbnail?frame=5", "/api/v1/file/" + uuid + "/trace/1/thumbnail"}) {
    CAPTURE(target);
    for (int round = 0; round < 2; ++round) {
      auto allowed = client.Get(target.c_str(), key_headers(all_files_key()));
      REQUIRE(allowed);
      CHECK(allowed->status == 200);
      CHECK(allowed->get_header_value("Cache-Control") == "public, max-age=86400");
      auto wrong_file = client.Get(target.c_str(), key_headers(other_key));
      REQUIRE(wrong_file);
      CHECK(wrong_file->status == 403);
      auto anonymous = client.Get(target.c_str());
      REQUIRE(anonymous);
      CHECK(anonymous->status == 401);
      // Revalidation with the ETag the allowed caller saw is no way in either.
      auto conditional = client.Get(target.c_str(), {{"If-None-Match", allowed->get_header_value("ETag")}});
      REQUIRE(conditional);
      CHECK(conditional->status == 401);
    }
  }
}

TEST_CASE("X-Request-Id: kept or made, echoed, and on every log line of the request") {
  CHECK(http::is_valid_request_id("abc-DEF_1.2"));
  CHECK(http::is_valid_request_id(std::string(128, 'a')));
  CHECK_FALSE(http::is_valid_request_id(std::string(129, 'a')));
  CHECK_FALSE(http::is_valid_request_id(""));
  CHECK_FALSE(http::is_valid_request_id("a b"));
  CHECK_FALSE(http::is_valid_request_id("a\r\nX: y"));

  StderrCapture log;
  app::ServerConfig config = TestServer::test_config();
  config.stream_timeout_secs = 2;
  TestServer server(config);
  ProxyTarget upstream{server.port(), {}};
  NginxServer proxy(generated_config, &upstream);
  const std::string& uuid = registered_fixture("long.mp4");
  httplib::Client client("127.0.0.1", proxy.port());
  std::string thumbnail = "/api/v1/file/" + uuid + "/thumbnail?frame=3";

  auto kept = client.Get(thumbnail.c_str(), {{"X-API-Key", all_files_key()}, {"X-Request-Id", "trace-42.a_b"}});
  REQUIRE(kept);
  CHECK(kept->get_header_value("X-Request-Id") == "trace-42.a_b");
  CHECK(log.wait_for_line({"GET /api/v1/file/" + uuid + "/thumbnail", "request_id=trace-42.a_b"}) != "");

  auto made = client.Get(thumbnail.c_str(), {{"X-API-Key", all_files_key()}, {"X-Request-Id", "bad id!"}});
  REQUIRE(made);
  std::string id = made->get_header_value("X-Request-Id");
  CHECK(http::is_valid_request_id(id));
  CHECK(id != "bad id!");
  CHECK(log.wait_for_line({"thumbnail", "request_id=" + id}) != "");
  // nginx logs the same id.
  std::string nginx_line;
  wait_until(
      [&] {
        std::istringstream lines(proxy.read_file("access.log"));
        std::string line;
        while (std::getline(lines, line)) {
          if (line.find("request_id=" + id) != std::string::npos) nginx_line = line;
        }
        return !nginx_line.empty();
      },
      k_patience, std::chrono::milliseconds(50));
  CHECK(nginx_line != "");

  // A stream cut by its deadline: the warning about its ffmpeg names the request.
  RawConnection stalled(server.port(), "/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=1499",
                        key_header() + "X-Request-Id: stalled-stream-7\r\n", ReceiveBuffer::small);
  REQUIRE(stalled.read_at_least(100, std::chrono::seconds(20)).rfind("HTTP/1.1 200", 0) == 0);
  CHECK(log.wait_for_line({"stream cut", "request_id=stalled-stream-7"}) != "");
  CHECK(ffmpeg_children_gone());
}

TEST_CASE("the access log believes X-Forwarded-For / X-Real-IP only from trusted proxies") {
  auto network = [](const char* text) { return *IpNetwork::parse(text); };
  CHECK_FALSE(IpNetwork::parse("10.0.0.0/33"));
  CHECK_FALSE(IpNetwork::parse("10.0.0/8"));
  CHECK_FALSE(IpNetwork::parse("::1/129"));
  CHECK(network("10.0.0.0/8").contains("10.200.1.2"));
  CHECK_FALSE(network("10.0.0.0/8").contains("11.0.0.1"));
  CHECK(network("192.168.1.0/25").contains("192.168.1.127"));
  CHECK_FALSE(network("192.168.1.0/25").contains("192.168.1.128"));
  CHECK(network("127.0.0.1").contains("::ffff:127.0.0.1"));
  CHECK(network("fd00::/8").contains("fd12::1"));
  CHECK_FALSE(network("fd00::/8").contains("10.0.0.1"));

  std::vector<IpNetwork> trusted = {network("127.0.0.0/8"), network("10.0.0.0/8")};
  httplib::Request req;
  req.remote_addr = "127.0.0.1";
  req.set_header("X-Forwarded-For", "6.6.6.6, 203.0.113.9, 10.1.1.1");
  CHECK(http::client_address(req, trusted) == "203.0.113.9");
  CHECK(http::client_address(req, {}) == "127.0.0.1");
  req.remote_addr = "198.51.100.1";  // not a trusted proxy: its headers mean nothing
  CHECK(http::client_address(req, trusted) == "198.51.100.1");
  httplib::Request real_ip;
  real_ip.remote_addr = "10.0.0.5";
  real_ip.set_header("X-Real-IP", "203.0.113.7");
  CHECK(http::client_address(real_ip, trusted) == "203.0.113.7");
  real_ip.headers.clear();
  real_ip.set_header("X-Real-IP", "not an address");
  CHECK(http::client_address(real_ip, trusted) == "10.0.0.5");

  // End to end: nginx on loopback is trusted, so its X-Real-IP/X-Forwarded-For
  // reach the log; without --trusted-proxy the log shows nginx's address.
  StderrCapture log;
  app::ServerConfig config = TestServer::test_config();
  config.trusted_proxies = {network("127.0.0.0/8")};
  TestServer server(config);
  ProxyTarget upstream{server.port(), {}};
  NginxServer proxy(generated_config, &upstream);
  httplib::Client client("127.0.0.1", proxy.port());
  auto res = client.Get("/healthz", {{"X-Forwarded-For", "203.0.113.50"}, {"X-Request-Id", "xff-check-1"}});
  REQUIRE(res);
  // nginx appends the peer it saw (127.0.0.1, trusted) to the client's list.
  CHECK(log.wait_for_line({"GET /healthz", "203.0.113.50", "request_id=xff-check-1"}) != "");
}
