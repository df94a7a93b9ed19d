// FramesService: frame batches — what POST /api/v1/file/:file_uuid/frames,
// GET .../frame-index and `frameserve frames` call (one function each for
// the endpoint and its CLI twin).
//
// plan() turns a FramesRequest into the images to make, reading the
// detections it needs (one trace, or one identity's traces, by frame) and
// validating every image against the file, so that a bad request fails as a
// whole before anything is decoded. start() begins the tar stream
// (frames/frame_batch_stream).
// Thread-safe (stateless over thread-safe stores).
#pragma once

#include <memory>
#include <string>

#include "common/result.hpp"
#include "db/detection_store.hpp"
#include "db/face_store.hpp"
#include "db/media_catalog.hpp"
#include "frames/frame_batch_plan.hpp"
#include "frames/frame_batch_stream.hpp"
#include "process/job_runner.hpp"

namespace frameserve::frames {

class FramesService {
 public:
  FramesService(db::DetectionStore& detections, db::FaceStore& faces, const process::JobRunner& runner)
      : m_detections(detections), m_faces(faces), m_runner(runner) {}

  // Errors: `invalid_argument` naming the first bad item ("frame_out_of_range",
  // "crop_out_of_bounds", "no_detection" for a frame of `frames` the trace
  // has no detection on, "bad_size"), `not_found` ("trace_not_found", "identity_not_found",
  // "identity_not_in_file"), `unavailable` (database).
  Result<FrameBatchPlan> plan(const db::ResolvedFile& file, const FramesRequest& request) const;

  // The faces of an identity as a training set (GET .../identities/:id/
  // faces.tar, `frameserve faces`): for each of its traces in the file, by
  // trace_id, the `per_trace` sharpest faces by the representative face's
  // measure (stage one ranks a trace's detections by area x confidence and
  // keeps max(10, 3 x per_trace); blurdetect ranks those), each a square
  // around its box grown by `margin`, resized to size x size. Errors:
  // `invalid_argument` ("bad_identity_uuid", "bad_faces_request"),
  // `not_found` ("identity_not_found", "identity_not_in_file"),
  // `unavailable`, `tool_failed` (the blur measurement).
  Result<FrameBatchPlan> plan_identity_faces(const db::ResolvedFile& file, const std::string& identity_uuid,
                                             int64_t per_trace, int64_t size, double margin,
                                             media::BatchFormat format) const;

  // Starts the tar stream of `plan`. Errors: as FrameBatchStream::start.
  Result<std::unique_ptr<FrameBatchStream>> start(const db::ResolvedFile& file, FrameBatchPlan plan) const;

 private:
  db::DetectionStore& m_detections;
  db::FaceStore& m_faces;
  const process::JobRunner& m_runner;
};

// The file's frame numbering as TorchCodec's custom_frame_mappings JSON:
// {"frames":[{"pts","duration","key_frame"}]}, in presentation order, pts
// and duration in the stream's time base. Never fails.
std::string frame_index_json(const media::MediaFile& file);

}  // namespace frameserve::frames
