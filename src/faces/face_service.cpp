#include "faces/face_service.hpp"

#include <rapidjson/document.h>

#include <algorithm>

#include "common/json_parse.hpp"
#include "common/json_writer.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "common/text.hpp"
#include "faces/blur_measure.hpp"
#include "faces/frame_runs.hpp"

namespace frameserve::faces {

namespace {
std::string selection_to_json(const SelectedFace& s) {
  JsonWriter w;
  w.begin_object().field("frame", s.face.frame_number).field("trace", s.face.trace_id);
  w.field("x", s.face.x).field("y", s.face.y).field("w", s.face.width).field("h", s.face.height);
  w.field("confidence", s.face.confidence).field("candidates", s.candidates).key("blur");
  if (s.blur_score)
    w.number(*s.blur_score);
  else
    w.null();
  w.end_object();
  return w.str();
}

std::optional<SelectedFace> selection_from_json(const std::string& text) {
  rapidjson::Document doc;
  if (parse_json(text, doc) != JsonParse::ok || !doc.IsObject()) return std::nullopt;
  for (const char* field : {"frame", "trace", "x", "y", "w", "h", "confidence", "candidates", "blur"}) {
    if (!doc.HasMember(field)) return std::nullopt;
  }
  SelectedFace s;
  s.face.frame_number = doc["frame"].GetInt64();
  s.face.trace_id = doc["trace"].GetInt64();
  s.face.x = doc["x"].GetInt();
  s.face.y = doc["y"].GetInt();
  s.face.width = doc["w"].GetInt();
  s.face.height = doc["h"].GetInt();
  s.face.confidence = doc["confidence"].GetDouble();
  s.candidates = doc["candidates"].GetInt();
  if (doc["blur"].IsNumber()) s.blur_score = doc["blur"].GetDouble();
  return s;
}

std::string lower(const std::string& uuid) { return to_lower_ascii(uuid); }
}  // namespace

Result<SelectedFace> FaceService::select_memoized(
    const db::ResolvedFile& file, const std::string& key,
    const std::function<Result<std::vector<FaceCandidate>>()>& candidates) {
  const std::string& uuid = file.media->file_uuid;
  auto stored = m_faces.memo_get(uuid, key, file.detections_revision);
  if (!stored) return stored.error();
  if (stored.value()) {
    if (auto selection = selection_from_json(*stored.value())) {
      metrics::unlabelled(metrics::get().face_memo_hits).Increment();
      return *selection;
    }
  }
  metrics::unlabelled(metrics::get().face_memo_misses).Increment();
  auto ranked = candidates();
  if (!ranked) return ranked.error();
  if (ranked->empty()) return not_found("no_faces", "there is no face to choose from");
  auto blur = measure_blur(m_runner, *file.media, ranked.value());
  if (!blur) return blur.error();
  SelectedFace selected = pick_sharpest(ranked.value(), blur.value());
  if (Status saved = m_faces.memo_put(uuid, key, file.detections_revision, selection_to_json(selected)); !saved) {
    log::warn("could not memoize face selection " + key + ": " + saved.error().message);
  }
  return selected;
}

Result<RepresentativeFace> FaceService::representative_face(const db::ResolvedFile& file, int64_t trace_id) {
  const std::string& uuid = file.media->file_uuid;
  auto summary = m_detections.trace_summary(uuid, trace_id);
  if (!summary) return summary.error();
  if (summary->detection_count == 0) {
    return not_found("trace_empty", "trace " + std::to_string(trace_id) + " has no detections");
  }
  RepresentativeFace result;
  result.trace_id = trace_id;
  result.face_count = summary->detection_count;
  result.label = summary->label;
  auto selected = select_memoized(file, "trace:" + std::to_string(trace_id),
                                  [&] { return m_faces.trace_candidates(uuid, trace_id, k_candidates); });
  if (!selected) return selected.error();
  result.selected = selected.value();
  result.timestamp_secs = file.media->timestamp_secs(result.selected.face.frame_number);
  return result;
}

Result<media::FrameRequest> FaceService::trace_thumbnail_request(const db::ResolvedFile& file, int64_t trace_id,
                                                                 int64_t side, int quality) {
  auto face = representative_face(file, trace_id);
  if (!face) return face.error();
  const media::MediaInfo& info = file.media->info;
  Square square = face_square(face->selected.face, info.width, info.height);
  media::FrameRequest request;
  request.frame = face->selected.face.frame_number;
  request.crop = media::CropRect{square.x, square.y, square.side, square.side};
  request.width = side;
  request.height = side;
  request.quality = quality;
  return request;
}

Result<KnownIdentity> identity_in_file(db::FaceStore& faces, const std::string& file_uuid,
                                       const std::string& identity_uuid) {
  if (!is_identity_uuid(identity_uuid)) {
    return invalid_argument("bad_identity_uuid", "identity_uuid " + quote_for_message(identity_uuid) +
                                                     " is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
  }
  KnownIdentity known;
  known.identity_uuid = lower(identity_uuid);
  auto name = faces.identity_name(known.identity_uuid);
  if (!name) return name.error();
  if (!name.value()) return not_found("identity_not_found", "no identity " + known.identity_uuid + " is known");
  auto present = faces.identity_in_file(file_uuid, known.identity_uuid);
  if (!present) return present.error();
  if (!present.value()) {
    return not_found("identity_not_in_file", "identity " + known.identity_uuid + " (" + *name.value() +
                                                 ") has no detections in file " + file_uuid);
  }
  known.name = *name.value();
  return known;
}

Result<Cooccurrence> FaceService::cooccurrence(const db::ResolvedFile& file, const std::string& identity_a,
                                               const std::string& identity_b) {
  for (const std::string* id : {&identity_a, &identity_b}) {
    if (!is_identity_uuid(*id)) {
      return invalid_argument("bad_identity_uuid", "identity_uuid " + quote_for_message(*id) +
                                                       " is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    }
  }
  std::string a = lower(identity_a);
  std::string b = lower(identity_b);
  if (a == b)
    return invalid_argument("same_identity", "an identity always co-occurs with itself; give two different identities");
  const std::string& uuid = file.media->file_uuid;

  Cooccurrence result;
  for (auto [id, face] : {std::pair{&a, &result.a}, std::pair{&b, &result.b}}) {
    auto known = identity_in_file(m_faces, uuid, *id);
    if (!known) return known.error();
    face->identity_uuid = known->identity_uuid;
    face->name = known->name;
  }
  auto runs_a = m_faces.identity_frame_runs(uuid, a, file.detections_revision);
  if (!runs_a) return runs_a.error();
  auto runs_b = m_faces.identity_frame_runs(uuid, b, file.detections_revision);
  if (!runs_b) return runs_b.error();
  SharedFrames count = intersect_frame_runs(runs_a.value(), runs_b.value());
  if (!count.first_frame) {
    return not_found("no_cooccurrence",
                     result.a.name + " and " + result.b.name + " never appear together in file " + uuid);
  }
  result.first_frame = *count.first_frame;
  result.total_frames = count.frames;
  result.timestamp_secs = file.media->timestamp_secs(result.first_frame);

  auto traces = m_faces.identity_traces_on_frame(uuid, result.first_frame, a, b);
  if (!traces) return traces.error();
  for (const auto& [identity, trace] : traces.value()) {
    (identity == a ? result.a : result.b).trace_id = trace;
  }
  for (auto [face, other] : {std::pair{&result.a, &b}, std::pair{&result.b, &a}}) {
    auto best = select_memoized(file, "cooccur:" + face->identity_uuid + ":" + *other, [&] {
      return m_faces.cooccurring_candidates(uuid, face->identity_uuid, *other, k_candidates);
    });
    if (!best) return best.error();
    face->best = best.value();
    face->timestamp_secs = file.media->timestamp_secs(face->best.face.frame_number);
  }
  return result;
}

Square face_square(const FaceCandidate& face, int width, int height) {
  int64_t larger = std::max(face.width, face.height);
  int64_t side = std::min<int64_t>(larger + (larger + 2) / 5, std::min(width, height));
  side = std::max<int64_t>(side, 1);
  int64_t cx = face.x + face.width / 2;
  int64_t cy = face.y + face.height / 2;
  Square s;
  s.side = side;
  s.x = std::clamp<int64_t>(cx - side / 2, 0, width - side);
  s.y = std::clamp<int64_t>(cy - side / 2, 0, height - side);
  return s;
}

}  // namespace frameserve::faces
