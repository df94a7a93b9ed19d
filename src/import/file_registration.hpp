// Registering a video: probe it, build its frame index, store both. The
// CLI's `file add` and POST /api/v1/files call register_media_file(); the
// HTTP side first confines the path to the server's media roots with
// resolve_under_roots().
//
// Stateless functions; thread-safe as the runner and the store are.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/file_store.hpp"
#include "media/media_info.hpp"
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
Result<media::MediaFile> register_media_file(const process::JobRunner& runner, db::FileStore& files,
                                             const std::string& path, std::string file_uuid);

// `path` with every symlink resolved, when that lies inside one of `roots`
// (themselves resolved). Errors: `forbidden` ("registration_disabled" with
// no roots, "outside_media_roots"), `invalid_argument` ("unreadable_file":
// the path does not exist or is not absolute).
Result<std::string> resolve_under_roots(const std::vector<std::string>& roots, const std::string& path);

}  // namespace frameserve::import
