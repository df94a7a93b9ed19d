// Resolving the SRC argument of the media commands: a registered file_uuid
// (read from the database) or a path to a video (probed and indexed on the
// spot, no database needed).
#pragma once

#include <memory>
#include <string>

#include "cli/cli_context.hpp"
#include "media/media_info.hpp"

namespace frameserve::cli {

Result<std::shared_ptr<const media::MediaFile>> resolve_media_source(CliContext& ctx, const std::string& source);

// Where a command's output goes: a file (written completely or removed)
// or stdout for "-".
class OutputTarget {
 public:
  static Result<OutputTarget> open(const std::string& path);
  OutputTarget(OutputTarget&& other) noexcept;
  OutputTarget& operator=(OutputTarget&&) = delete;
  ~OutputTarget();  // removes an uncommitted file

  int fd() const { return m_fd; }
  // Keeps the file. Without this the destructor deletes it.
  Status commit();

 private:
  OutputTarget(std::string path, int fd) : m_path(std::move(path)), m_fd(fd) {}
  std::string m_path;
  int m_fd = -1;
  bool m_committed = false;
};

}  // namespace frameserve::cli
