// The bench's shared parts: the run's settings (g_*), timing of commands
// and HTTP requests, the frameserve server under test, and the rows of the
// summary. Each section of `make bench` (bench_main.cpp and the
// bench_*.cpp files beside it) measures with these and records rows; main
// prints them and writes docs/benchmarks.md. Single-threaded, except where
// a section starts threads of its own; nothing here fails on time.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "process/child_process.hpp"
#include "support/test_env.hpp"

namespace frameserve::bench {

using Clock = std::chrono::steady_clock;

// Set once by main before any section runs.
extern std::string g_root;    // the repository
extern std::string g_ffmpeg;  // Debian's ffmpeg
extern std::string g_bin;     // build/frameserve
extern std::string g_db;      // the bench's PostgreSQL conninfo
extern std::string g_key;     // an all-files API key

// One line of the summary.
struct Row {
  std::string what;
  std::string ours;
  std::string reference;
  std::string ratio;
  std::string goal;
  std::string verdict;
};
extern std::vector<Row> g_rows;

double since(Clock::time_point start);
double median(std::vector<double> values);
// Prints a line at once (the bench is long; a reader watches it).
void say(const std::string& line);
// Ends the bench with exit 1, saying why: the setting up failed.
[[noreturn]] void fail(const std::string& why);
// Runs a command; fail()s when it exits non-zero.
testing::CommandResult must(const std::vector<std::string>& argv, const std::string& input = "");
// Runs `frameserve --db g_db ARGS`; fail()s when it exits non-zero.
testing::CommandResult cli(std::vector<std::string> args);
// "12.3 ms" or "1.23 s".
std::string secs(double s);
// Adds a summary row and prints it: `ratio` with its label ("faster", "the
// time"), `goal` (empty: informative only) and whether it was met.
void record(const std::string& what, const std::string& ours, const std::string& reference, double ratio,
            const std::string& ratio_label, const std::string& goal, bool met);

struct Timing {
  double first_byte = 0;
  double total = 0;
  size_t bytes = 0;
};

// Runs a command, discarding stdout, timing its first byte and its end;
// fail()s when it exits non-zero.
Timing time_command(const std::vector<std::string>& argv);

// `frameserve serve` on a free port with the bench's settings, stopped
// (SIGTERM, waited for) when destroyed.
class Server {
 public:
  // `extra`: further `serve` options (e.g. --accel-redirect behind nginx).
  explicit Server(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {g_bin,
                                     "--db",
                                     g_db,
                                     "--log-level",
                                     "warn",
                                     "serve",
                                     "--port",
                                     "0",
                                     "--threads",
                                     "64",
                                     "--queue-wait-ms",
                                     "300000",
                                     "--max-queue",
                                     "256",
                                     "--job-timeout",
                                     "600",
                                     "--cache-dir",
                                     g_root + "/var/bench/segments"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto child = process::ChildProcess::spawn(process::SpawnOptions{argv, false});
    if (!child) fail(child.error().message);
    m_process = std::move(child.value());
    std::string banner;
    char c;
    while (banner.find('\n') == std::string::npos && ::read(m_process->stdout_fd(), &c, 1) == 1) banner.push_back(c);
    size_t colon = banner.rfind(':');
    if (colon == std::string::npos) fail("frameserve did not start");
    m_port = std::stoi(banner.substr(colon + 1));
    // Keep its stderr drained.
    m_drain = std::thread([this] {
      char buffer[4096];
      while (::read(m_process->stderr_fd(), buffer, sizeof buffer) > 0) {}
    });
  }
  ~Server() {
    ::kill(m_process->pid(), SIGTERM);
    m_process->wait();
    m_drain.join();
  }
  int port() const { return m_port; }
  pid_t pid() const { return m_process->pid(); }
  long rss_kb() const {
    std::ifstream status("/proc/" + std::to_string(m_process->pid()) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0;
  }

 private:
  std::unique_ptr<process::ChildProcess> m_process;
  std::thread m_drain;
  int m_port = 0;
};

// GET `path` with the bench's key, timing its first byte and its end;
// fail()s unless the answer is 200.
Timing time_get(int port, const std::string& path);

// Full downloads of frameserve's `path` at `port` and of the same file
// served by nginx at `nginx_port`, interleaved, 21 of each; their medians.
struct DownloadMedians {
  double ours = 0;
  double nginx = 0;
  double megabytes = 0;
};
DownloadMedians interleaved_downloads(int port, const std::string& path, int nginx_port);

// What each section in a file of its own (bench_sections.hpp) gets from
// main: the sources' folder, the 10-minute 720p source and its
// registration (carrying the span detections), and the server under test.
struct SectionContext {
  std::string dir;
  std::string video;
  std::string video_uuid;
  int port = 0;
};

// `run` called n times; its values.
std::vector<double> repeat(int n, const std::function<double()>& run);

}  // namespace frameserve::bench
