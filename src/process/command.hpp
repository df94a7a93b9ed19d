// Command: which tool to run and its arguments (without the program path).
//
// argv builders are pure functions that return a Command; the JobRunner
// prepends the resolved absolute path of the tool.
#pragma once

#include <string>
#include <vector>

namespace frameserve::process {

enum class Tool { ffmpeg, ffprobe };

struct Command {
  Tool tool = Tool::ffmpeg;
  std::vector<std::string> args;
};

}  // namespace frameserve::process
