// A face detection considered for "the best face": stage one of the
// two-stage selection ranks these by area x confidence.
#pragma once

#include <cstdint>
#include <optional>

#include "db/detection_store.hpp"

namespace frameserve::faces {

using FaceCandidate = db::BoxDetection;

inline double quality_score(const FaceCandidate& c) {
  return static_cast<double>(c.width) * static_cast<double>(c.height) * c.confidence;
}

// The outcome of stage two: the sharpest candidate and its blur score
// (FFmpeg blurdetect's mean edge width on the crop scaled to a fixed size;
// lower is sharper; nullopt when the crop is flat and cannot be measured).
struct SelectedFace {
  FaceCandidate face;
  std::optional<double> blur_score;
  int candidates = 0;  // how many were measured
};

}  // namespace frameserve::faces
