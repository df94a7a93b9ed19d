#include "import/file_registration.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "auth/crypto.hpp"
#include "common/file_uuid.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "common/unique_fd.hpp"
#include "media/probe.hpp"

namespace frameserve::import {

namespace {

// The fingerprint reads this much at each end of a file: enough to cover a
// container's header (and an MP4's trailing index), little enough that
// checking a multi-gigabyte film costs two short reads.
constexpr int64_t k_fingerprint_chunk = 64 * 1024;

// Paths are ours, not a client's, and can be long: quoted whole.
std::string quote_path(const std::string& path) { return quote_for_message(path, 1000); }

// realpath(3); empty when the path does not exist.
std::string real_path(const std::string& path) {
  char buffer[PATH_MAX];
  if (::realpath(path.c_str(), buffer) == nullptr) return "";
  return buffer;
}

// A file opened for a check: the fingerprint is read from the descriptor
// whose fstat gave the size and times, so all of them describe one inode.
struct OpenedFile {
  UniqueFd fd;
  int error = 0;  // errno of open/fstat; 0 when opened
  bool regular = false;
  db::FileIdentity identity;  // size and times; fingerprint left empty
};

int64_t nanoseconds(const struct timespec& t) { return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec; }

// Opens and stats `path`; cannot fail (errors land in `error`). O_NONBLOCK
// so that a FIFO put at the path cannot hang the check.
OpenedFile open_file(const std::string& path) {
  OpenedFile f;
  f.fd.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  struct stat st {};
  if (!f.fd.valid() || ::fstat(f.fd.get(), &st) != 0) {
    f.error = errno;
    return f;
  }
  f.regular = S_ISREG(st.st_mode);
  f.identity.size_bytes = static_cast<int64_t>(st.st_size);
  f.identity.mtime_ns = nanoseconds(st.st_mtim);
  f.identity.ctime_ns = nanoseconds(st.st_ctim);
  return f;
}

// Reads up to `length` bytes at `offset` onto `out`; false with errno on a
// read error. A file that shrank gives fewer bytes, and so another digest.
bool read_at(int fd, int64_t offset, int64_t length, std::string& out) {
  size_t start = out.size();
  out.resize(start + static_cast<size_t>(length));
  int64_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out.data() + start + done, static_cast<size_t>(length - done), offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    done += n;
  }
  out.resize(start + static_cast<size_t>(done));
  return true;
}

// The fingerprint of the opened file (see sql/008_file_fingerprint.sql):
// lowercase hex SHA-256 of its size (8 bytes, little-endian), the first
// 64 KiB and the last 64 KiB, each byte once (the whole file when it is
// smaller than 128 KiB). Errors: the errno text of a failed read.
Result<std::string> fingerprint_of(const OpenedFile& f) {
  const int64_t size = f.identity.size_bytes;
  std::string data;
  data.reserve(8 + 2 * k_fingerprint_chunk);
  for (int i = 0; i < 8; ++i) data.push_back(static_cast<char>((static_cast<uint64_t>(size) >> (8 * i)) & 0xff));
  const int64_t head = std::min(size, k_fingerprint_chunk);
  const int64_t tail_start = std::max(head, size - k_fingerprint_chunk);
  if (!read_at(f.fd.get(), 0, head, data) || !read_at(f.fd.get(), tail_start, size - tail_start, data)) {
    return internal_error(std::strerror(errno));
  }
  std::string digest = auth::sha256(data);
  return hex_encode(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
}

FileCheck missing_because(std::string reason) { return FileCheck{FileState::missing, std::move(reason)}; }
FileCheck changed_because(std::string reason) { return FileCheck{FileState::changed, std::move(reason)}; }

// Records what a check found to be the registered bytes; a failure only
// means the next check reads the bytes again, so it is logged, not returned.
void record_identity(db::FileStore& files, const std::string& file_uuid, const std::string& path,
                     const db::FileIdentity& identity) {
  auto updated = files.update_identity(file_uuid, path, identity);
  if (!updated) {
    log::warn("could not record the checked identity of file " + file_uuid + ": " + updated.error().message);
  }
}

}  // namespace

// Time first, because every index over detections begins with the file:
// a new file's rows then go to the right end of each index, where
// PostgreSQL appends without descending the tree and packs leaves 90% full,
// instead of into the middle (random uuids), where each leaf is split in
// halves. Importing the bench's film into a file that sorts last took
// 4.1-5.3 s, into one that sorts first 5.1-6.5 s (dev cluster, 14-17M rows).
std::string new_file_uuid() {
  auto random = auth::random_bytes(16);
  if (!random) return "";
  unsigned char bytes[16];
  std::memcpy(bytes, random->data(), sizeof bytes);
  const uint64_t ms = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  bytes[6] = static_cast<unsigned char>(0x70 | (bytes[6] & 0x0f));  // version 7
  bytes[8] = static_cast<unsigned char>(0x80 | (bytes[8] & 0x3f));  // RFC 9562 variant
  return hex_encode(bytes, sizeof bytes);
}

Result<media::MediaFile> register_media_file(const process::JobRunner& runner, db::FileStore& files,
                                             const std::string& path, std::string file_uuid,
                                             const media::ProbeStage& on_stage) {
  if (file_uuid.empty()) {
    file_uuid = new_file_uuid();
    if (file_uuid.empty()) return internal_error("the random source failed");
  } else if (Status valid = check_file_uuid(file_uuid); !valid) {
    return valid.error();
  }
  // Probing a film takes seconds; a uuid that is taken is refused before.
  auto existing = files.find(file_uuid);
  if (existing) {
    return make_error(ErrorKind::conflict, "file_exists", "file_uuid " + file_uuid + " is already registered");
  }
  if (existing.error().kind != ErrorKind::not_found) return existing.error();
  auto media = media::probe_media_file(runner, path, on_stage);
  if (!media) return media.error();
  media->file_uuid = file_uuid;
  // The identity is read after the probe: a file written to while it was
  // being indexed shows another size or mtime than the probe's stat.
  OpenedFile opened = open_file(media->path);
  if (opened.error != 0 || !opened.regular || opened.identity.size_bytes != media->info.size_bytes ||
      opened.identity.mtime_ns != media->info.mtime_ns) {
    return make_error(ErrorKind::conflict, "file_changed",
                      quote_path(media->path) +
                          " changed while it was being registered; register it again "
                          "once nothing writes to it");
  }
  auto fingerprint = fingerprint_of(opened);
  if (!fingerprint) {
    return invalid_argument("unreadable_file",
                            "cannot read " + quote_path(media->path) + ": " + fingerprint.error().message);
  }
  opened.identity.fingerprint = fingerprint.value();
  if (Status stored = files.insert(media.value(), opened.identity); !stored) return stored.error();
  return media;
}

std::string_view file_state_name(FileState state) {
  switch (state) {
    case FileState::ok: return "ok";
    case FileState::missing: return "missing";
    case FileState::changed: return "changed";
  }
  return "changed";
}

FileCheck check_registered_file(db::FileStore& files, const std::string& file_uuid, const std::string& path,
                                const db::FileIdentity& registered, CheckDepth depth) {
  OpenedFile opened = open_file(path);
  if (opened.error != 0) return missing_because(std::strerror(opened.error));
  if (!opened.regular) return changed_because("it is no longer a regular file");
  const db::FileIdentity& now = opened.identity;
  if (now.size_bytes != registered.size_bytes) {
    return changed_because("it has " + std::to_string(now.size_bytes) + " bytes, the registered file had " +
                           std::to_string(registered.size_bytes));
  }
  const bool has_fingerprint = !registered.fingerprint.empty();
  const bool same_stat =
      now.mtime_ns == registered.mtime_ns && (!has_fingerprint || now.ctime_ns == registered.ctime_ns);
  if (!has_fingerprint && !same_stat) {
    // Registered before fingerprints were kept: with another mtime nothing
    // tells a touch from a replacement of the same size.
    return changed_because(
        "it was modified after registration, which predates fingerprints, so it cannot be "
        "told to be the same file");
  }
  if (has_fingerprint && same_stat && depth == CheckDepth::quick) return FileCheck{};

  auto fingerprint = fingerprint_of(opened);
  if (!fingerprint) return missing_because("it cannot be read: " + fingerprint.error().message);
  if (has_fingerprint && fingerprint.value() != registered.fingerprint) {
    return changed_because("its content differs from the registered file's");
  }
  if (!has_fingerprint || !same_stat) {
    db::FileIdentity seen = now;
    seen.fingerprint = fingerprint.value();
    record_identity(files, file_uuid, path, seen);
  }
  return FileCheck{};
}

Error file_check_error(const std::string& file_uuid, const std::string& path, const FileCheck& check) {
  if (check.state == FileState::missing) {
    return make_error(ErrorKind::gone, "file_missing",
                      "file_uuid " + file_uuid + " is registered at " + quote_path(path) + ", which is missing (" +
                          check.reason + "): put the file back there, or run `frameserve file relink " + file_uuid +
                          " NEW_PATH` if it moved");
  }
  return make_error(ErrorKind::conflict, "file_changed",
                    "the file at " + quote_path(path) + " is no longer the one registered as file_uuid " + file_uuid +
                        " (" + check.reason +
                        "), so its frame index and detections do not fit it: register it "
                        "again (`frameserve file rm " +
                        file_uuid +
                        "` and `frameserve file add`, or "
                        "POST /api/v1/files)");
}

Status require_unchanged(db::FileStore& files, const db::ResolvedFile& file) {
  const media::MediaFile& media = *file.media;
  FileCheck check = check_registered_file(files, media.file_uuid, media.path, file.identity, CheckDepth::quick);
  if (check.state == FileState::ok) return Status();
  log::warn("registered file " + media.file_uuid + " is " + std::string(file_state_name(check.state)) + " at " +
            media.path + ": " + check.reason);
  return file_check_error(media.file_uuid, media.path, check);
}

Result<std::string> relink_file(db::FileStore& files, const std::string& file_uuid, const std::string& new_path) {
  auto row = files.find(file_uuid);
  if (!row) return row.error();
  if (row->fingerprint.empty()) {
    // Registered before fingerprints: the old path gives one when it still
    // holds the file as registered (same size and mtime).
    FileCheck old = check_registered_file(files, file_uuid, row->path, row->identity(), CheckDepth::quick);
    if (old.state == FileState::ok) row = files.find(file_uuid);
    if (!row) return row.error();
    if (row->fingerprint.empty()) {
      return make_error(ErrorKind::conflict, "no_fingerprint",
                        "file_uuid " + file_uuid +
                            " was registered before frameserve kept fingerprints and its old "
                            "path " +
                            quote_path(row->path) + " no longer holds it (" +
                            (old.reason.empty() ? "its fingerprint could not be recorded" : old.reason) + "), so " +
                            quote_path(new_path) +
                            " cannot be compared with it: register that file again "
                            "(`frameserve file rm " +
                            file_uuid + "` and `frameserve file add`)");
    }
  }
  std::string resolved = real_path(new_path);
  OpenedFile opened = open_file(resolved.empty() ? new_path : resolved);
  if (resolved.empty() || opened.error != 0) {
    return invalid_argument("unreadable_file", "cannot open " + quote_path(new_path) + ": " +
                                                   std::strerror(opened.error != 0 ? opened.error : ENOENT));
  }
  if (!opened.regular) return invalid_argument("unreadable_file", quote_path(new_path) + " is not a regular file");
  const db::FileIdentity registered = row->identity();
  auto not_same = [&](const std::string& why) {
    return make_error(ErrorKind::conflict, "not_the_same_file",
                      quote_path(resolved) + " is not the file registered as " + file_uuid + " (" + why +
                          "); nothing was changed. To serve it, register it (`frameserve file add`)");
  };
  if (opened.identity.size_bytes != registered.size_bytes) {
    return not_same("it has " + std::to_string(opened.identity.size_bytes) + " bytes, the registered file " +
                    std::to_string(registered.size_bytes));
  }
  auto fingerprint = fingerprint_of(opened);
  if (!fingerprint) {
    return invalid_argument("unreadable_file",
                            "cannot read " + quote_path(new_path) + ": " + fingerprint.error().message);
  }
  if (fingerprint.value() != registered.fingerprint) return not_same("its content differs");
  opened.identity.fingerprint = fingerprint.value();
  auto updated = files.update_identity(file_uuid, resolved, opened.identity);
  if (!updated) return updated.error();
  if (!updated.value()) return db::file_not_found(file_uuid);
  return resolved;
}

Result<std::string> resolve_under_roots(const std::vector<std::string>& roots, const std::string& path) {
  if (roots.empty()) {
    return make_error(ErrorKind::forbidden, "registration_disabled",
                      "registering files over HTTP is off on this server: start it with --media-root DIR "
                      "(or use `frameserve file add` on the server)");
  }
  if (path.empty() || path[0] != '/') {
    return invalid_argument("unreadable_file",
                            "path must be absolute, e.g. /srv/media/film.mp4; got " + quote_for_message(path));
  }
  std::string resolved = real_path(path);
  if (resolved.empty()) {
    return invalid_argument("unreadable_file", "cannot open " + quote_for_message(path) + ": no such file");
  }
  for (const std::string& root : roots) {
    std::string real_root = real_path(root);
    if (real_root.empty()) continue;
    if (real_root == "/") return resolved;
    if (resolved.size() > real_root.size() && resolved.compare(0, real_root.size(), real_root) == 0 &&
        resolved[real_root.size()] == '/') {
      return resolved;
    }
  }
  std::string list;
  for (const std::string& root : roots) list += (list.empty() ? "" : ", ") + root;
  return make_error(ErrorKind::forbidden, "outside_media_roots",
                    quote_for_message(path) + " resolves to a file outside this server's media roots (" + list +
                        "); only files under them can be registered over HTTP");
}

}  // namespace frameserve::import
