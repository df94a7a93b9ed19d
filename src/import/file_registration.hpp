// Registering a video: probe it, build its frame index, store both. The
// CLI's `file add` and POST /api/v1/files call register_media_file(); the
// HTTP side first confines the path to the server's media roots with
// resolve_under_roots().
//
// Files change under us (archives move, replace and delete them), so the
// registration also keeps what identifies the file's bytes (size, mtime,
// ctime and a fingerprint), and every job first checks the path still holds
// them (require_unchanged): a replaced file is a 409 "file_changed", a
// missing one a 410 "file_missing", never an ffmpeg 500 or another video's
// frame. `file check` and `file relink` use the same checks.
//
// Stateless functions; thread-safe as the runner and the store are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "db/file_store.hpp"
#include "db/media_catalog.hpp"
#include "media/media_info.hpp"
#include "media/probe.hpp"
#include "process/job_runner.hpp"

namespace frameserve::import {

// A new file_uuid (32 lowercase hex digits): a version-7 UUID (RFC 9562),
// the registration time in milliseconds followed by 74 random bits, so
// files registered later sort later. Empty if the random source fails.
std::string new_file_uuid();

// Probes and indexes `path` and registers it as `file_uuid` (a random one
// when empty). Errors: `invalid_argument` ("bad_file_uuid", or the probe's
// "unreadable_file"/"not_a_video"/"no_timestamps" with its reason),
// `conflict` when the uuid is already registered, `unavailable` (database).
// `on_stage` is told each indexing stage (media::ProbeStage).
Result<media::MediaFile> register_media_file(const process::JobRunner& runner, db::FileStore& files,
                                             const std::string& path, std::string file_uuid,
                                             const media::ProbeStage& on_stage = nullptr);

// What a check found at a registered file's path.
enum class FileState {
  ok,       // the registered bytes
  missing,  // nothing (readable) there
  changed,  // another file, or one that cannot be told to be the same
};
// "ok", "missing", "changed": the `state` of GET /api/v1/file/:uuid.
std::string_view file_state_name(FileState state);

struct FileCheck {
  FileState state = FileState::ok;
  std::string reason;  // for missing/changed: what was found, for people
};

enum class CheckDepth {
  // A stat; the file's bytes are read only when the stat differs from the
  // registration (or to give a file registered before fingerprints its
  // fingerprint). The check before every job.
  quick,
  // Also reads the bytes when the stat is unchanged (`file check`).
  full,
};

// Whether `path` holds the file registered as `file_uuid` with `registered`.
// The same bytes under a new mtime/ctime (a `touch`, a copy back) are `ok`,
// and the new stat is recorded so the next quick check is a stat again; a
// file registered before migration 008 is fingerprinted on the first check
// that finds its size and mtime unchanged, and is `changed` otherwise (there
// is nothing to compare its bytes with). Cannot fail: a failure to record
// is logged and the verdict stands.
FileCheck check_registered_file(db::FileStore& files, const std::string& file_uuid, const std::string& path,
                                const db::FileIdentity& registered, CheckDepth depth);

// The error a job answers with for a check that was not ok: `gone`
// ("file_missing", naming the path) or `conflict` ("file_changed", saying to
// register the file again).
Error file_check_error(const std::string& file_uuid, const std::string& path, const FileCheck& check);

// The check before a job on a resolved file (quick). Errors: `gone`
// ("file_missing"), `conflict` ("file_changed"), as file_check_error().
Status require_unchanged(db::FileStore& files, const db::ResolvedFile& file);

// Points `file_uuid` at `new_path` after checking it holds the same bytes
// (size and fingerprint), recording its path, mtime and ctime; returns the
// new (resolved) path. Errors: `not_found` ("file_not_found"),
// `invalid_argument` ("unreadable_file": nothing readable at new_path),
// `conflict` ("not_the_same_file": other bytes, naming what differs, or
// "no_fingerprint": registered before fingerprints and its old path no
// longer holds it, so nothing can be compared), `unavailable`.
Result<std::string> relink_file(db::FileStore& files, const std::string& file_uuid, const std::string& new_path);

// `path` with every symlink resolved, when that lies inside one of `roots`
// (themselves resolved). Errors: `forbidden` ("registration_disabled" with
// no roots, "outside_media_roots"), `invalid_argument` ("unreadable_file":
// the path does not exist or is not absolute).
Result<std::string> resolve_under_roots(const std::vector<std::string>& roots, const std::string& path);

}  // namespace frameserve::import
