// Stage two of face selection: measuring how blurry each candidate face is,
// all candidates in one ffmpeg run.
//
// Candidates are grouped by the keyframe their decoding starts at; each
// group is one input (seeked, and bounded with -t so it stops after its
// last candidate), so nearby candidates share one decode. Every candidate is
// picked by its exact pts, cropped to its box, scaled to 128x128 (blurdetect
// depends on resolution) and stamped with its index as its timestamp; the
// crops are interleaved into one blurdetect whose per-frame values are
// printed to stdout.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "faces/face_candidate.hpp"
#include "media/media_info.hpp"
#include "process/command.hpp"
#include "process/job_runner.hpp"

namespace frameserve::faces {

constexpr int k_blur_side = 128;

process::Command build_blur_command(const media::MediaFile& file, const std::vector<FaceCandidate>& candidates);

// Parses the metadata filter's output: one value per candidate index,
// nullopt for NaN or a candidate without a value.
std::vector<std::optional<double>> parse_blur_output(std::string_view text, size_t candidates);

// Runs the measurement. Errors: `unavailable` (no job slot), `tool_failed`.
Result<std::vector<std::optional<double>>> measure_blur(const process::JobRunner& runner, const media::MediaFile& file,
                                                        const std::vector<FaceCandidate>& candidates);

// Candidate indices from sharpest to blurriest, by pick_sharpest's order.
std::vector<size_t> rank_sharpest(const std::vector<FaceCandidate>& candidates,
                                  const std::vector<std::optional<double>>& blur);

// Picks the sharpest: lowest blur first, unmeasurable (flat) crops last,
// ties by higher area x confidence, then lower frame number.
SelectedFace pick_sharpest(const std::vector<FaceCandidate>& candidates,
                           const std::vector<std::optional<double>>& blur);

}  // namespace frameserve::faces
