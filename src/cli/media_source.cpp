#include "cli/media_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/text.hpp"
#include "import/file_registration.hpp"
#include "media/probe.hpp"
#include "process/byte_sink.hpp"

namespace frameserve::cli {

Result<std::shared_ptr<const media::MediaFile>> resolve_media_source(CliContext& ctx, const std::string& source) {
  struct stat st {};
  bool is_path = ::stat(source.c_str(), &st) == 0;
  auto app = ctx.app();
  if (!app) return app.error();
  if (!is_path && is_file_uuid(source)) {
    auto resolved = resolve_registered_media(*app.value(), source);
    if (!resolved) return resolved.error();
    return std::shared_ptr<const media::MediaFile>(resolved->media);
  }
  auto probed = media::probe_media_file(app.value()->runner(), source);
  if (!probed) return probed.error();
  return std::shared_ptr<const media::MediaFile>(std::make_shared<media::MediaFile>(std::move(probed.value())));
}

Result<db::ResolvedFile> resolve_registered_media(app::AppContext& app, const std::string& file_uuid) {
  auto resolved = app.catalog().resolve(file_uuid);
  if (!resolved) return resolved.error();
  if (Status unchanged = import::require_unchanged(app.files(), resolved.value()); !unchanged) return unchanged.error();
  return resolved;
}

Result<OutputTarget> OutputTarget::open(const std::string& path) {
  if (path == "-") return OutputTarget("", STDOUT_FILENO);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return invalid_argument("unwritable_output", "cannot write " + quote_for_message(path));
  return OutputTarget(path, fd);
}

OutputTarget::OutputTarget(OutputTarget&& other) noexcept
    : m_path(std::move(other.m_path)), m_fd(other.m_fd), m_committed(other.m_committed) {
  other.m_fd = -1;
  other.m_committed = true;
}

OutputTarget::~OutputTarget() {
  if (m_path.empty() || m_fd < 0) return;
  ::close(m_fd);
  if (!m_committed) ::unlink(m_path.c_str());
}

Status OutputTarget::commit() {
  if (!m_path.empty() && ::fsync(m_fd) != 0 && errno != EINVAL) {
    return internal_error("writing " + quote_for_message(m_path) + " failed");
  }
  m_committed = true;
  return Status();
}

Status write_whole_file(const std::string& path, const std::string& bytes) {
  auto out = OutputTarget::open(path);
  if (!out) return out.error();
  process::FdSink sink(out->fd());
  if (!sink.write(bytes.data(), bytes.size())) return internal_error("writing " + path + " failed");
  return out->commit();
}

}  // namespace frameserve::cli
