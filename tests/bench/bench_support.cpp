#include "bench/bench_support.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <httplib.h>

#include "common/text.hpp"
#include "process/output_reader.hpp"

namespace frameserve::bench {

std::string g_root;
std::string g_ffmpeg;
std::string g_bin;
std::string g_db;
std::string g_key;
std::vector<Row> g_rows;

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

void say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

void fail(const std::string& why) {
  std::fprintf(stderr, "bench: %s\n", why.c_str());
  std::exit(1);
}

testing::CommandResult must(const std::vector<std::string>& argv, const std::string& input) {
  testing::CommandResult r = testing::run_command(argv, input);
  if (r.exit_code != 0) fail(argv[0] + " " + (argv.size() > 1 ? argv[1] : "") + " failed: " + r.err);
  return r;
}

testing::CommandResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), {g_bin, "--db", g_db});
  return must(args);
}

// ---- reporting -----------------------------------------------------------------

std::string secs(double s) { return s < 1 ? format_fixed(s * 1000, 1) + " ms" : format_fixed(s, 2) + " s"; }

void record(const std::string& what, const std::string& ours, const std::string& reference, double ratio,
            const std::string& ratio_label, const std::string& goal, bool met) {
  g_rows.push_back({what, ours, reference, format_fixed(ratio, 2) + "x " + ratio_label, goal,
                    goal.empty() ? "" : (met ? "met" : "MISSED")});
  say("  " + what + ": ours " + ours + ", reference " + reference + " -> " + format_fixed(ratio, 2) + "x " +
      ratio_label + (goal.empty() ? "" : " (goal " + goal + ": " + (met ? "met" : "MISSED") + ")"));
}

// ---- processes -------------------------------------------------------------------

// Runs a command, discarding stdout, timing its first byte and its end.
Timing time_command(const std::vector<std::string>& argv) {
  auto start = Clock::now();
  auto child = process::ChildProcess::spawn(process::SpawnOptions{argv, false});
  if (!child) fail(child.error().message);
  process::OutputReader reader(*child.value());
  std::string buffer(1 << 18, '\0');
  Timing t;
  while (true) {
    auto chunk = reader.read(buffer.data(), buffer.size(), std::chrono::milliseconds(1000));
    if (chunk.status == process::OutputReader::ReadStatus::data) {
      if (t.bytes == 0) t.first_byte = since(start);
      t.bytes += chunk.size;
    } else if (chunk.status != process::OutputReader::ReadStatus::timeout) {
      break;
    }
  }
  reader.drain_stderr(std::chrono::milliseconds(2000));
  if (!child.value()->wait().success()) fail("reference command failed: " + reader.failure_reason());
  t.total = since(start);
  return t;
}

Timing time_get(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(600, 0);
  Timing t;
  auto start = Clock::now();
  auto res = client.Get(path.c_str(), {{"X-API-Key", g_key}}, [&](const char*, size_t length) {
    if (t.bytes == 0) t.first_byte = since(start);
    t.bytes += length;
    return true;
  });
  t.total = since(start);
  if (!res || res->status != 200) fail("GET " + path + " failed: " + (res ? std::to_string(res->status) : "no answer"));
  return t;
}

// Full downloads of frameserve's `path` at `port` and of the same file
// served by nginx at `nginx_port`, interleaved, 21 of each; their medians.
// Medians: a 186 MB transfer over loopback takes 70 to 200 ms from one run
// to the next on the 2-core machine, so a best of three compared noise
// (0.84x to 1.12x) rather than the ~1 ms a detour through frameserve costs.
DownloadMedians interleaved_downloads(int port, const std::string& path, int nginx_port) {
  std::vector<double> ours_times, nginx_times;
  DownloadMedians m;
  for (int i = 0; i < 21; ++i) {
    Timing ours = time_get(port, path);
    m.megabytes = static_cast<double>(ours.bytes) / 1e6;
    ours_times.push_back(ours.total);
    httplib::Client client("127.0.0.1", nginx_port);
    auto start = Clock::now();
    client.Get("/bench720.mp4", [&](const char*, size_t) { return true; });
    nginx_times.push_back(since(start));
  }
  m.ours = median(ours_times);
  m.nginx = median(nginx_times);
  return m;
}

std::vector<double> repeat(int n, const std::function<double()>& run) {
  std::vector<double> values;
  for (int i = 0; i < n; ++i) values.push_back(run());
  return values;
}

}  // namespace frameserve::bench
