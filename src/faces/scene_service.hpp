// SceneService: every scene of a person, or of two people together — the
// logic behind GET .../identities/:id/scenes, .../identities/:a/co-occur-with/:b/scenes
// and `frameserve scenes`. The rule is in faces/scenes.hpp.
//
// Cheap by construction (the playlist of an identity with 500 traces is
// meant to answer within 50 ms): the frames come from the memoised identity
// frame runs (FaceStore::identity_frame_runs, valid for one detections
// revision, so a re-import is never answered from stale runs); trace_ids come
// from the traces' stored spans, and only a trace whose span strictly
// encloses a scene is looked up in the detections (one statement for all).
//
// Thread-safe (stateless over thread-safe stores).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/face_store.hpp"
#include "db/media_catalog.hpp"
#include "db/scene_store.hpp"

namespace frameserve::faces {

struct SceneQuery {
  std::string identity_uuid;
  std::optional<std::string> with_identity_uuid;  // set: the scenes the two share
  std::optional<int64_t> pad_frames;              // nullopt: round(1 s x fps)
  std::optional<int64_t> gap_frames;              // nullopt: round(2 s x fps)
};

struct Scene {
  int64_t start_frame = 0;  // inclusive film frames
  int64_t end_frame = 0;
  // The traces (of the identity, or of either identity) with at least one
  // detection within [start_frame, end_frame], ascending.
  std::vector<int64_t> trace_ids;
  double start_secs = 0;     // where the scene begins in the scene video
  double duration_secs = 0;  // end_pts(end_frame) - pts(start_frame)
};

struct SceneList {
  std::string identity_uuid;
  std::optional<std::string> with_identity_uuid;
  int64_t pad_frames = 0;
  int64_t gap_frames = 0;
  double duration_secs = 0;  // of the whole scene video
  std::vector<Scene> scenes;
};

class SceneService {
 public:
  SceneService(db::FaceStore& faces, db::SceneStore& scenes) : m_faces(faces), m_scenes(scenes) {}

  // Errors: `invalid_argument` ("bad_identity_uuid", "same_identity",
  // "bad_pad_frames", "bad_gap_frames": outside 0..k_max_scene_frames),
  // `not_found` ("identity_not_found", "identity_not_in_file"),
  // `unavailable`. Two people who never meet: an empty list, not an error.
  Result<SceneList> scenes(const db::ResolvedFile& file, const SceneQuery& query);

 private:
  db::FaceStore& m_faces;
  db::SceneStore& m_scenes;
};

// {"success":true,"file_uuid",...,"scenes":[{"start_frame","end_frame","trace_ids","start_secs","duration_secs"}]}
std::string scenes_json(const std::string& file_uuid, const SceneList& list);

// One readable line per scene (the CLI without --json).
std::string scenes_text(const SceneList& list);

}  // namespace frameserve::faces
