#include "import/file_registration.hpp"

#include <chrono>
#include <climits>
#include <cstdint>
#include <cstring>
#include <cstdlib>

#include "auth/crypto.hpp"
#include "common/text.hpp"
#include "media/probe.hpp"

namespace frameserve::import {

namespace {
// realpath(3); empty when the path does not exist.
std::string real_path(const std::string& path) {
  char buffer[PATH_MAX];
  if (::realpath(path.c_str(), buffer) == nullptr) return "";
  return buffer;
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
                                             const std::string& path, std::string file_uuid) {
  if (file_uuid.empty()) {
    file_uuid = new_file_uuid();
    if (file_uuid.empty()) return internal_error("the random source failed");
  } else if (!is_file_uuid(file_uuid)) {
    return invalid_argument("bad_file_uuid", "file_uuid " + quote_for_message(file_uuid) +
                                                 " is not valid: expected 32 lowercase hex digits");
  }
  // Probing a film takes seconds; a uuid that is taken is refused before.
  auto existing = files.find(file_uuid);
  if (existing) {
    return make_error(ErrorKind::conflict, "file_exists", "file_uuid " + file_uuid + " is already registered");
  }
  if (existing.error().kind != ErrorKind::not_found) return existing.error();
  auto media = media::probe_media_file(runner, path);
  if (!media) return media.error();
  media->file_uuid = file_uuid;
  if (Status stored = files.insert(media.value()); !stored) return stored.error();
  return media;
}

Result<std::string> resolve_under_roots(const std::vector<std::string>& roots, const std::string& path) {
  if (roots.empty()) {
    return make_error(ErrorKind::forbidden, "registration_disabled",
                      "registering files over HTTP is off on this server: start it with --media-root DIR "
                      "(or use `frameserve file add` on the server)");
  }
  if (path.empty() || path[0] != '/') {
    return invalid_argument("unreadable_file", "path must be absolute, e.g. /srv/media/film.mp4; got " +
                                                   quote_for_message(path));
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
