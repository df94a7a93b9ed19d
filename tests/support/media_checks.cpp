#include "support/media_checks.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "auth/crypto.hpp"
#include "common/text.hpp"
#include "process/tool_paths.hpp"
#include "support/test_env.hpp"

namespace frameserve::testing {

std::string ffmpeg_path() {
  static const std::string path = process::find_executable("ffmpeg").value();
  return path;
}
std::string ffprobe_path() {
  static const std::string path = process::find_executable("ffprobe").value();
  return path;
}

namespace {
std::string ffmpeg() { return ffmpeg_path(); }
std::string ffprobe() { return ffprobe_path(); }
}  // namespace

std::string reference_frame_rgb(const std::string& path, int64_t frame, const std::string& pix_fmt) {
  CommandResult r = run_command({ffmpeg(), "-nostdin", "-v", "error", "-i", path, "-vf",
                                 "select=eq(n\\," + std::to_string(frame) + ")", "-frames:v", "1", "-f", "rawvideo",
                                 "-pix_fmt", pix_fmt, "pipe:1"});
  return r.out;
}

std::string decode_image_rgb(const std::string& image, int width, int height, const std::string& pix_fmt) {
  std::vector<std::string> argv = {ffmpeg(), "-v", "error", "-i", "pipe:0"};
  if (width > 0) argv.insert(argv.end(), {"-vf", "scale=" + std::to_string(width) + ":" + std::to_string(height)});
  argv.insert(argv.end(), {"-f", "rawvideo", "-pix_fmt", pix_fmt, "pipe:1"});
  return run_command(argv, image).out;
}

namespace {
// Decodes `input` (a path, a URL, or pipe:0 reading `bytes`) to frames.
std::vector<std::string> decode_frames(const std::string& input, const std::string& bytes, int width, int height,
                                       const std::string& pix_fmt) {
  CommandResult r = run_command({ffmpeg(), "-v", "error", "-i", input, "-map", "0:V:0", "-vf",
                                 "scale=" + std::to_string(width) + ":" + std::to_string(height), "-fps_mode",
                                 "passthrough", "-f", "rawvideo", "-pix_fmt", pix_fmt, "pipe:1"},
                                bytes);
  size_t frame_size = static_cast<size_t>(width) * static_cast<size_t>(height) * 3;
  std::vector<std::string> frames;
  for (size_t offset = 0; offset + frame_size <= r.out.size(); offset += frame_size) {
    frames.push_back(r.out.substr(offset, frame_size));
  }
  return frames;
}
}  // namespace

std::vector<std::string> decode_stream_frames(const std::string& bytes, int width, int height,
                                              const std::string& pix_fmt) {
  return decode_frames("pipe:0", bytes, width, height, pix_fmt);
}

std::vector<std::string> decode_source_frames(const std::string& path_or_url, int width, int height,
                                              const std::string& pix_fmt) {
  return decode_frames(path_or_url, "", width, height, pix_fmt);
}

std::string probe_stream_counts(const std::string& bytes) {
  // MPEG-TS lists its streams twice (under the program too): keep each index once.
  CommandResult r = run_command({ffprobe(), "-v", "error", "-count_packets", "-show_entries",
                                 "stream=index,codec_type,nb_read_packets", "-of", "csv=p=0", "pipe:0"},
                                bytes);
  std::string out;
  std::set<std::string> seen;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string_view> fields = split(trim(line), ',');
    if (fields.size() < 3 || !seen.insert(std::string(fields[0])).second) continue;
    if (!out.empty()) out += ",";
    out += std::string(fields[1]) + ":" + std::string(fields[2]);
  }
  return out;
}

double psnr(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) return 0;
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double d = static_cast<unsigned char>(a[i]) - static_cast<unsigned char>(b[i]);
    sum += d * d;
  }
  double mse = sum / static_cast<double>(a.size());
  return mse == 0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

std::string sha256_hex(const std::string& data) {
  std::string digest = auth::sha256(data);
  return hex_encode(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
}

namespace {
// (name, state, ppid) of a process from /proc/PID/stat.
bool read_stat(const std::string& pid, std::string& name, char& state, pid_t& ppid) {
  std::ifstream file("/proc/" + pid + "/stat");
  std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  size_t open = content.find('(');
  size_t close = content.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 4 > content.size()) return false;
  name = content.substr(open + 1, close - open - 1);
  std::istringstream rest(content.substr(close + 2));
  rest >> state >> ppid;
  return true;
}

template <typename Predicate>
int count_own_children(Predicate predicate) {
  int count = 0;
  DIR* dir = ::opendir("/proc");
  if (!dir) return -1;
  while (dirent* entry = ::readdir(dir)) {
    std::string pid = entry->d_name;
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string name;
    char state = 0;
    pid_t ppid = 0;
    if (read_stat(pid, name, state, ppid) && ppid == ::getpid() && predicate(name, state)) ++count;
  }
  ::closedir(dir);
  return count;
}
}  // namespace

int count_children(const std::string& name) {
  return count_own_children([&](const std::string& n, char) { return n == name; });
}

int count_zombie_children() {
  return count_own_children([](const std::string&, char state) { return state == 'Z'; });
}

bool ffmpeg_children_gone(std::chrono::milliseconds within) {
  return wait_until([] { return count_children("ffmpeg") == 0 && count_zombie_children() == 0; }, within,
                    std::chrono::milliseconds(20));
}

}  // namespace frameserve::testing
