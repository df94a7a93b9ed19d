#include "frames/frames_service.hpp"

#include <algorithm>
#include <unordered_map>

#include "common/json_writer.hpp"
#include "faces/blur_measure.hpp"
#include "faces/face_service.hpp"

namespace frameserve::frames {

Result<FrameBatchPlan> FramesService::plan(const db::ResolvedFile& resolved, const FramesRequest& request) const {
  const media::MediaFile& file = *resolved.media;
  const media::MediaInfo& info = file.info;
  if (Status valid = media::validate_batch_output(request.output); !valid) return valid.error();
  FrameBatchPlan plan;
  plan.output = request.output;

  // The detections the frames come from or are cropped by.
  std::vector<db::BoxDetection> detections;
  std::unordered_map<int64_t, db::TraceLabel> labels;
  if (request.identity_uuid) {
    auto known = faces::identity_in_file(m_faces, file.file_uuid, *request.identity_uuid);
    if (!known) return known.error();
    auto found = m_detections.identity_detections(file.file_uuid, known->identity_uuid);
    if (!found) return found.error();
    detections = std::move(found.value());
  } else if (request.trace_id) {
    auto summary = m_detections.trace_summary(file.file_uuid, *request.trace_id);
    if (!summary) return summary.error();
    auto found = m_detections.trace_detections(file.file_uuid, *request.trace_id);
    if (!found) return found.error();
    detections = std::move(found.value());
  }
  if (!detections.empty()) {
    auto found = m_detections.trace_labels(file.file_uuid);
    if (!found) return found.error();
    labels = std::move(found.value());
  }
  auto info_of = [&](const db::BoxDetection& box) {
    DetectionInfo d;
    d.box = box;
    auto label = labels.find(box.trace_id);
    if (label != labels.end()) {
      d.identity_uuid = label->second.identity_uuid;
      d.name = label->second.identity_name;
    }
    return d;
  };
  auto crop_of = [&](const std::optional<DetectionInfo>& detection) {
    switch (request.crop) {
      case CropMode::whole: return media::CropRect{0, 0, info.width, info.height};
      case CropMode::rect: return request.rect;
      case CropMode::detection:
        return detection_crop(detection->box, request.margin, request.square, info.width, info.height);
    }
    return media::CropRect{0, 0, info.width, info.height};
  };

  if (request.frames) {
    std::unordered_map<int64_t, size_t> by_frame;
    for (size_t i = 0; i < detections.size(); ++i) by_frame.emplace(detections[i].frame_number, i);
    const std::vector<int64_t>& frames = *request.frames;
    plan.images.reserve(frames.size());
    for (size_t i = 0; i < frames.size(); ++i) {
      PlannedImage image;
      image.item.frame = frames[i];
      if (request.trace_id) {
        auto at = by_frame.find(frames[i]);
        if (at != by_frame.end())
          image.detection = info_of(detections[at->second]);
        else if (request.crop == CropMode::detection) {
          return invalid_argument("no_detection", "frames[" + std::to_string(i) + "]: trace " +
                                                      std::to_string(*request.trace_id) +
                                                      " has no detection on frame " + std::to_string(frames[i]) +
                                                      ", so it cannot be cropped by one");
        }
      }
      image.item.crop = crop_of(image.detection);
      if (Status valid = media::validate_batch_item(image.item, info, "frames[" + std::to_string(i) + "]"); !valid) {
        return valid.error();
      }
      plan.images.push_back(std::move(image));
    }
    return plan;
  }
  // Every step-th detection, in order.
  for (size_t i = 0; i < detections.size(); i += static_cast<size_t>(request.step)) {
    PlannedImage image;
    image.item.frame = detections[i].frame_number;
    image.detection = info_of(detections[i]);
    image.item.crop = crop_of(image.detection);
    std::string where = "detection on frame " + std::to_string(image.item.frame) + " of trace " +
                        std::to_string(detections[i].trace_id);
    if (Status valid = media::validate_batch_item(image.item, info, where); !valid) return valid.error();
    plan.images.push_back(std::move(image));
  }
  return plan;
}

Result<FrameBatchPlan> FramesService::plan_identity_faces(const db::ResolvedFile& resolved,
                                                          const std::string& identity_uuid, int64_t per_trace,
                                                          int64_t size, double margin,
                                                          media::BatchFormat format) const {
  const media::MediaFile& file = *resolved.media;
  if (per_trace < 1 || per_trace > 100) {
    return invalid_argument("bad_faces_request", "per_trace must be a whole number from 1 to 100");
  }
  if (size < 1 || size > media::k_max_image_side) {
    return invalid_argument("bad_faces_request",
                            "size must be from 1 to " + std::to_string(media::k_max_image_side) + " pixels");
  }
  if (!(margin >= 0) || margin > 10) return invalid_argument("bad_faces_request", "margin must be from 0 to 10");
  auto known = faces::identity_in_file(m_faces, file.file_uuid, identity_uuid);
  if (!known) return known.error();
  auto detections = m_detections.identity_detections(file.file_uuid, known->identity_uuid);
  if (!detections) return detections.error();
  std::vector<int64_t> traces;
  for (const db::BoxDetection& d : detections.value()) traces.push_back(d.trace_id);
  std::sort(traces.begin(), traces.end());
  traces.erase(std::unique(traces.begin(), traces.end()), traces.end());
  detections.value().clear();
  detections.value().shrink_to_fit();

  FrameBatchPlan plan;
  plan.output.format = format;
  plan.output.width = size;
  plan.output.height = size;
  const int limit = static_cast<int>(std::max<int64_t>(10, 3 * per_trace));
  for (int64_t trace : traces) {
    auto candidates = m_faces.trace_candidates(file.file_uuid, trace, limit);
    if (!candidates) return candidates.error();
    if (candidates->empty()) continue;
    auto blur = faces::measure_blur(m_runner, file, candidates.value());
    if (!blur) return blur.error();
    std::vector<size_t> order = faces::rank_sharpest(candidates.value(), blur.value());
    for (size_t i = 0; i < order.size() && static_cast<int64_t>(i) < per_trace; ++i) {
      const db::BoxDetection& box = (*candidates)[order[i]];
      PlannedImage image;
      image.item.frame = box.frame_number;
      image.item.crop = detection_crop(box, margin, true, file.info.width, file.info.height);
      image.detection = DetectionInfo{box, known->identity_uuid, known->name};
      if (Status valid =
              media::validate_batch_item(image.item, file.info, "face on frame " + std::to_string(box.frame_number));
          !valid) {
        return valid.error();
      }
      plan.images.push_back(std::move(image));
    }
  }
  return plan;
}

Result<std::unique_ptr<FrameBatchStream>> FramesService::start(const db::ResolvedFile& file,
                                                               FrameBatchPlan plan) const {
  return FrameBatchStream::start(m_runner, file.media, std::move(plan));
}

std::string frame_index_json(const media::MediaFile& file) {
  const media::FrameIndex& index = *file.index;
  std::vector<bool> key(static_cast<size_t>(index.frame_count()), false);
  for (const media::Keyframe& k : index.keyframes()) {
    if (k.frame >= 0 && k.frame < index.frame_count()) key[static_cast<size_t>(k.frame)] = true;
  }
  JsonWriter j;
  j.begin_object();
  j.key("time_base").begin_array().integer(index.time_base().num).integer(index.time_base().den).end_array();
  j.key("frames").begin_array();
  for (int64_t f = 0; f < index.frame_count(); ++f) {
    j.begin_object();
    j.field("pts", index.pts(f));
    j.field("duration", index.end_pts(f) - index.pts(f));
    j.field("key_frame", static_cast<bool>(key[static_cast<size_t>(f)]));
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.str();
}

}  // namespace frameserve::frames
