// FaceService: the best face of a trace and the first co-occurrence of two
// identities — the logic behind the /trace/... and /identities/... endpoints
// and their CLI twins.
//
// "The best face" is chosen in two stages, as the API specifies:
//  1. SQL: the candidates ranked by area x confidence, top 10 (ties by frame);
//  2. FFmpeg blurdetect on each candidate's exact frame, cropped to its box
//     and scaled to one size; the least blurry wins, flat crops rank last.
// Selections are memoized in the database, keyed by the file's detections
// revision, so a repeat answers in milliseconds and a re-import is never
// answered from a stale memo.
//
// Thread-safe (stateless over thread-safe stores).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "db/detection_store.hpp"
#include "db/face_store.hpp"
#include "db/media_catalog.hpp"
#include "faces/face_candidate.hpp"
#include "media/requests.hpp"
#include "process/job_runner.hpp"

namespace frameserve::faces {

struct RepresentativeFace {
  int64_t trace_id = 0;
  int64_t face_count = 0;
  db::TraceLabel label;
  SelectedFace selected;
  double timestamp_secs = 0;  // from the frame's real pts
};

struct IdentityFace {
  std::string identity_uuid;
  std::string name;
  int64_t trace_id = 0;  // the identity's trace at the first co-occurring frame
  SelectedFace best;     // its best face among the co-occurring frames
  double timestamp_secs = 0;
};

struct Cooccurrence {
  int64_t first_frame = 0;
  double timestamp_secs = 0;
  int64_t total_frames = 0;
  IdentityFace a;
  IdentityFace b;
};

// An identity checked as the identity endpoints check it: a well-formed
// uuid (returned lowercase), known, and with detections in the file.
struct KnownIdentity {
  std::string identity_uuid;
  std::string name;
};
// Errors: `invalid_argument` ("bad_identity_uuid"), `not_found`
// ("identity_not_found", "identity_not_in_file"), `unavailable`.
Result<KnownIdentity> identity_in_file(db::FaceStore& faces, const std::string& file_uuid,
                                       const std::string& identity_uuid);

class FaceService {
 public:
  FaceService(db::FaceStore& faces, db::DetectionStore& detections, const process::JobRunner& runner)
      : m_faces(faces), m_detections(detections), m_runner(runner) {}

  static constexpr int k_candidates = 10;

  // Errors: `not_found` ("trace_not_found", "trace_empty"), `unavailable`,
  // `tool_failed`.
  Result<RepresentativeFace> representative_face(const db::ResolvedFile& file, int64_t trace_id);

  // The JPEG request for a trace's thumbnail: its representative face's
  // square, scaled to `side` x `side` (320 by default) at `quality`.
  // Errors as representative_face().
  Result<media::FrameRequest> trace_thumbnail_request(const db::ResolvedFile& file, int64_t trace_id, int64_t side,
                                                      int quality);

  // Errors: `invalid_argument` (malformed uuids, a == b), `not_found`
  // ("identity_not_found", "identity_not_in_file", "no_cooccurrence").
  Result<Cooccurrence> cooccurrence(const db::ResolvedFile& file, const std::string& identity_a,
                                    const std::string& identity_b);

 private:
  // The memoized selection under `key`, or else stage one (`candidates`,
  // only queried on a miss) and stage two, remembered for next time.
  Result<SelectedFace> select_memoized(const db::ResolvedFile& file, const std::string& key,
                                       const std::function<Result<std::vector<FaceCandidate>>()>& candidates);

  db::FaceStore& m_faces;
  db::DetectionStore& m_detections;
  const process::JobRunner& m_runner;
};

// A square around a face: centred on the box, its side the box's larger
// side plus 20%, moved (never squeezed) to stay inside the picture.
struct Square {
  int64_t x = 0;
  int64_t y = 0;
  int64_t side = 0;
};
Square face_square(const FaceCandidate& face, int width, int height);

constexpr int k_trace_thumbnail_side = 320;

}  // namespace frameserve::faces
