#include "process/tool_paths.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "common/text.hpp"

namespace frameserve::process {

namespace {
bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string absolute(const std::string& path) {
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) != nullptr) return resolved;
  return path;
}
}  // namespace

Result<std::string> find_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (is_executable_file(name)) return absolute(name);
    return internal_error(name + " is not an executable file");
  }
  const char* path_env = std::getenv("PATH");
  std::string path = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
  for (std::string_view dir : split(path, ':')) {
    if (dir.empty()) continue;
    std::string candidate = std::string(dir) + "/" + name;
    if (is_executable_file(candidate)) return absolute(candidate);
  }
  return internal_error(name + " was not found on PATH (install Debian's ffmpeg package)");
}

Result<ToolPaths> ToolPaths::resolve() {
  const char* ffmpeg_env = std::getenv("FRAMESERVE_FFMPEG");
  const char* ffprobe_env = std::getenv("FRAMESERVE_FFPROBE");
  auto ffmpeg = find_executable(ffmpeg_env && *ffmpeg_env ? ffmpeg_env : "ffmpeg");
  if (!ffmpeg) return ffmpeg.error();
  auto ffprobe = find_executable(ffprobe_env && *ffprobe_env ? ffprobe_env : "ffprobe");
  if (!ffprobe) return ffprobe.error();
  return ToolPaths{ffmpeg.value(), ffprobe.value()};
}

}  // namespace frameserve::process
