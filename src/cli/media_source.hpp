// Resolving the SRC argument of the media commands: a registered file_uuid
// (read from the database) or a path to a video (probed and indexed on the
// spot, no database needed).
#pragma once

#include <memory>
#include <string>

#include "cli/cli_context.hpp"
#include "db/media_catalog.hpp"
#include "media/media_info.hpp"

namespace frameserve::cli {

// Errors: those of resolve_registered_media() for a file_uuid, the probe's
// for a path.
Result<std::shared_ptr<const media::MediaFile>> resolve_media_source(CliContext& ctx, const std::string& source);

// A registered file for a command that reads its bytes: resolved, then
// checked on disk as the server checks before a job. Errors: `not_found`,
// `gone` ("file_missing"), `conflict` ("file_changed"), `unavailable`.
Result<db::ResolvedFile> resolve_registered_media(app::AppContext& app, const std::string& file_uuid);

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

// Writes `bytes` to `path` (or stdout for "-") through OutputTarget, so a
// failure leaves no partial file. Errors: `invalid_argument` (cannot
// create), `internal` (a write failed).
Status write_whole_file(const std::string& path, const std::string& bytes);

}  // namespace frameserve::cli
