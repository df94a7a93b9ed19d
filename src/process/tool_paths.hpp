// ToolPaths: absolute paths of the external programs frameserve runs.
//
// Resolved once at start-up (from FRAMESERVE_FFMPEG / FRAMESERVE_FFPROBE or
// PATH) and checked to be executable, so that no request ever meets a failed
// exec. Immutable after construction; safe to share between threads.
#pragma once

#include <string>

#include "common/result.hpp"

namespace frameserve::process {

struct ToolPaths {
  std::string ffmpeg;
  std::string ffprobe;

  // Looks the tools up; `unavailable`-free: returns `internal` with a message
  // naming the missing tool and how to install it.
  static Result<ToolPaths> resolve();
};

// Finds `name` on PATH (or accepts an absolute/relative path containing '/').
// Returns the absolute path of an executable regular file.
Result<std::string> find_executable(const std::string& name);

}  // namespace frameserve::process
