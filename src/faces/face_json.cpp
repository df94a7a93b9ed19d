#include "faces/face_json.hpp"

#include "common/json_writer.hpp"

namespace frameserve::faces {

std::string trace_thumbnail_url(const std::string& file_uuid, int64_t trace_id) {
  return "/api/v1/file/" + file_uuid + "/trace/" + std::to_string(trace_id) + "/thumbnail";
}

std::string representative_face_url(const std::string& file_uuid, int64_t trace_id) {
  return "/api/v1/file/" + file_uuid + "/trace/" + std::to_string(trace_id) + "/representative-face";
}

std::string face_crop_url(const std::string& file_uuid, const FaceCandidate& face) {
  return "/api/v1/file/" + file_uuid + "/thumbnail?frame=" + std::to_string(face.frame_number) +
         "&x=" + std::to_string(face.x) + "&y=" + std::to_string(face.y) + "&w=" + std::to_string(face.width) +
         "&h=" + std::to_string(face.height);
}

namespace {
void write_bbox(JsonWriter& w, const FaceCandidate& face) {
  w.key("bbox").begin_object().field("x", face.x).field("y", face.y);
  w.field("width", face.width).field("height", face.height).end_object();
}

void write_blur(JsonWriter& w, const SelectedFace& s) {
  // Flat crops cannot be measured: null, never NaN.
  w.key("blur_score");
  if (s.blur_score)
    w.number(*s.blur_score);
  else
    w.null();
}

void write_face(JsonWriter& w, const std::string& file_uuid, const SelectedFace& s, double timestamp_secs) {
  const FaceCandidate& f = s.face;
  w.begin_object().field("frame_number", f.frame_number).field("timestamp_secs", timestamp_secs);
  w.field("trace_id", f.trace_id);
  write_bbox(w, f);
  w.field("confidence", f.confidence).field("quality_score", quality_score(f));
  write_blur(w, s);
  w.field("thumbnail_url", trace_thumbnail_url(file_uuid, f.trace_id)).field("crop_url", face_crop_url(file_uuid, f));
  w.end_object();
}
}  // namespace

std::string representative_face_json(const std::string& file_uuid, const RepresentativeFace& r) {
  JsonWriter w;
  w.begin_object().field("success", true).field("file_uuid", file_uuid).field("trace_id", r.trace_id);
  w.field("face_count", r.face_count).field("label", r.label.label).key("identity");
  if (r.label.identity_uuid.empty()) {
    w.null();
  } else {
    w.begin_object().field("identity_uuid", r.label.identity_uuid).field("name", r.label.identity_name).end_object();
  }
  w.key("representative");
  write_face(w, file_uuid, r.selected, r.timestamp_secs);
  w.field("candidates_measured", r.selected.candidates);
  w.end_object();
  return w.str();
}

std::string cooccurrence_json(const std::string& file_uuid, const Cooccurrence& c) {
  JsonWriter w;
  w.begin_object().field("success", true).field("file_uuid", file_uuid);
  for (auto [key, face] : {std::pair{"identity_a", &c.a}, std::pair{"identity_b", &c.b}}) {
    w.key(key).begin_object().field("identity_uuid", face->identity_uuid).field("name", face->name);
    w.field("trace_id", face->trace_id).end_object();
  }
  w.key("first_cooccurrence").begin_object().field("frame_number", c.first_frame);
  w.field("timestamp_secs", c.timestamp_secs).field("total_cooccurrence_frames", c.total_frames);
  w.key("representative_face_a");
  write_face(w, file_uuid, c.a.best, c.a.timestamp_secs);
  w.key("representative_face_b");
  write_face(w, file_uuid, c.b.best, c.b.timestamp_secs);
  w.end_object().end_object();
  return w.str();
}

}  // namespace frameserve::faces
