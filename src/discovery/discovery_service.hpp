// DiscoveryService: what a caller may find out about the files it can see —
// the files, a file's identities and traces, and the detections of a range
// of frames grouped by frame with their real timestamps.
//
// It applies the caller's scope to the file list (a key limited to some
// files lists only those) and the rules of the detection range; the HTTP
// resources (and any later CLI twin) only shape what it returns.
// Thread-safe (stateless over its stores).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/authenticator.hpp"
#include "common/result.hpp"
#include "db/detection_store.hpp"
#include "db/discovery_store.hpp"
#include "db/media_catalog.hpp"

namespace frameserve::discovery {

// One detection as a player draws it: the box and whose it is.
struct FrameDetection {
  db::BoxDetection box;
  std::string identity_uuid;  // empty: no identity
  std::string name;           // the identity's name, else empty
  std::string label;          // the trace's label
};

struct FrameDetections {
  int64_t frame_number = 0;
  double timestamp_secs = 0;  // from the frame's real pts
  std::vector<FrameDetection> detections;
};

// Page limits of every listing.
inline constexpr int k_default_page_limit = 100;
inline constexpr int k_max_page_limit = 1000;
// The widest frame range one detections call may ask for.
inline constexpr int64_t k_max_detection_frames = 10000;

class DiscoveryService {
 public:
  DiscoveryService(const auth::Authenticator& authenticator, db::DiscoveryStore& store, db::DetectionStore& detections)
      : m_authenticator(authenticator), m_store(store), m_detections(detections) {}

  // The files `principal` may see, in registration order after `after`.
  // Errors: `unavailable`.
  Result<db::Page<db::FileListing>> files(const auth::Principal& principal, const std::optional<db::FileKey>& after,
                                          int limit);
  // One file (already authorized) with its counts. Errors: `not_found`.
  Result<db::FileListing> file(const std::string& file_uuid);

  Result<db::Page<db::IdentityListing>> identities(const std::string& file_uuid,
                                                   const std::optional<std::string>& after, int limit);
  Result<db::Page<db::TraceListing>> traces(const std::string& file_uuid,
                                            const std::optional<std::string>& identity_uuid,
                                            const std::optional<int64_t>& after, int limit);

  // The frames within [start_frame, end_frame] that hold detections, from
  // `after` on (the first frame not yet returned), at most `limit` frames.
  // Errors: `invalid_argument` ("bad_frame_range") for a range outside the
  // file, reversed, or wider than k_max_detection_frames; `unavailable`.
  Result<db::Page<FrameDetections>> detections(const db::ResolvedFile& file, int64_t start_frame, int64_t end_frame,
                                               const std::optional<int64_t>& from, int limit);

 private:
  const auth::Authenticator& m_authenticator;
  db::DiscoveryStore& m_store;
  db::DetectionStore& m_detections;
};

}  // namespace frameserve::discovery
