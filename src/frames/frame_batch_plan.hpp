// What a frame batch asks for (POST /api/v1/file/:file_uuid/frames and
// `frameserve frames`), and the plan it becomes: the images in the order
// the caller asked, each a frame, a crop and the detection it came from.
//
// The HTTP layer fills a FramesRequest from JSON (parse_frames_request_json),
// the CLI from flags; both then call FramesService::plan() (frames_service),
// which checks everything against the file before a byte is sent, so a bad
// request is one 400 naming its first bad item.
// Pure data and functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "db/detection_store.hpp"
#include "media/frame_batch.hpp"

namespace frameserve::frames {

enum class CropMode { whole, detection, rect };

struct FramesRequest {
  // Exactly one of these selects the frames (trace_id may also accompany
  // `frames`, as the detections to crop by).
  std::optional<std::vector<int64_t>> frames;
  std::optional<int64_t> trace_id;
  std::optional<std::string> identity_uuid;
  int64_t step = 1;  // every step-th detection of a trace or identity
  CropMode crop = CropMode::whole;
  media::CropRect rect;  // CropMode::rect
  double margin = 0.2;   // CropMode::detection: growth, a fraction of the box
  bool square = false;   // CropMode::detection: a square around the box's centre
  media::BatchOutput output;
};

// Parses the JSON body. Errors (`invalid_argument`): "bad_json",
// "bad_frames_request" (what member was wrong and what is valid).
Result<FramesRequest> parse_frames_request_json(std::string_view body);

struct DetectionInfo {
  db::BoxDetection box;
  std::string identity_uuid;  // empty: the trace has no identity
  std::string name;
};

struct PlannedImage {
  media::BatchItem item;
  std::optional<DetectionInfo> detection;
};

struct FrameBatchPlan {
  std::vector<PlannedImage> images;  // in the caller's order
  media::BatchOutput output;
};

// The crop of `box` grown by `margin` (a fraction of its width and height,
// half on each side), squared around its centre when `square`, clamped to
// the width x height picture. Never fails; at least 1x1.
media::CropRect detection_crop(const db::BoxDetection& box, double margin, bool square, int width, int height);

}  // namespace frameserve::frames
