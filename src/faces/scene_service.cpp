#include "faces/scene_service.hpp"

#include <algorithm>

#include "common/json_writer.hpp"
#include "common/text.hpp"
#include "faces/face_service.hpp"
#include "faces/frame_runs.hpp"
#include "faces/scenes.hpp"

namespace frameserve::faces {

namespace {
Status check_frames(const char* name, const std::optional<int64_t>& value) {
  if (value && (*value < 0 || *value > k_max_scene_frames)) {
    return invalid_argument(std::string("bad_") + name, std::string(name) + " must be a whole number from 0 to " +
                                                            std::to_string(k_max_scene_frames) + " (got " +
                                                            std::to_string(*value) + ")");
  }
  return Status();
}
}  // namespace

Result<SceneList> SceneService::scenes(const db::ResolvedFile& file, const SceneQuery& query) {
  if (Status s = check_frames("pad_frames", query.pad_frames); !s) return s.error();
  if (Status s = check_frames("gap_frames", query.gap_frames); !s) return s.error();
  // Malformed uuids and A = B are 400s before any identity is looked up, as
  // the co-occurrence endpoint answers them.
  for (const std::optional<std::string>& id : {std::optional(query.identity_uuid), query.with_identity_uuid}) {
    if (id && !is_identity_uuid(*id)) {
      return invalid_argument("bad_identity_uuid", "identity_uuid " + quote_for_message(*id) +
                                                       " is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    }
  }
  if (query.with_identity_uuid && to_lower_ascii(*query.with_identity_uuid) == to_lower_ascii(query.identity_uuid)) {
    return invalid_argument("same_identity", "an identity always co-occurs with itself; give two different identities");
  }
  const media::MediaFile& media = *file.media;
  const std::string& uuid = media.file_uuid;

  SceneList list;
  std::vector<std::string> identities;
  std::vector<std::vector<db::FrameRun>> runs;
  for (const std::optional<std::string>& id : {std::optional(query.identity_uuid), query.with_identity_uuid}) {
    if (!id) continue;
    auto known = identity_in_file(m_faces, uuid, *id);
    if (!known) return known.error();
    auto frames = m_faces.identity_frame_runs(uuid, known->identity_uuid, file.detections_revision);
    if (!frames) return frames.error();
    identities.push_back(known->identity_uuid);
    runs.push_back(std::move(frames.value()));
  }
  list.identity_uuid = identities[0];
  if (identities.size() == 2) list.with_identity_uuid = identities[1];

  const media::Rational fps = media.info.fps;
  list.pad_frames = query.pad_frames.value_or(frames_for_seconds(fps.num, fps.den, 1));
  list.gap_frames = query.gap_frames.value_or(frames_for_seconds(fps.num, fps.den, 2));
  const std::vector<db::FrameRun>& seen = runs.size() == 2 ? shared_frame_runs(runs[0], runs[1]) : runs[0];
  std::vector<db::FrameRun> spans = scene_spans(seen, list.pad_frames, list.gap_frames, media.index->frame_count());
  if (spans.empty()) return list;

  auto rows = m_scenes.identity_trace_spans(uuid, identities);
  if (!rows) return rows.error();
  std::vector<TraceSpan> traces;
  traces.reserve(rows->size());
  for (const db::TraceSpanRow& row : rows.value())
    traces.push_back(TraceSpan{row.trace_id, row.first_frame, row.last_frame});
  TraceAttribution attribution = attribute_traces(spans, traces);
  if (!attribution.undecided.empty()) {
    std::vector<db::TraceRangeProbe> probes;
    probes.reserve(attribution.undecided.size());
    for (const auto& [scene, trace] : attribution.undecided) {
      probes.push_back(db::TraceRangeProbe{trace, spans[scene].first, spans[scene].last});
    }
    auto found = m_scenes.traces_with_detections_in(uuid, probes);
    if (!found) return found.error();
    for (size_t probe : found.value()) {
      const auto& [scene, trace] = attribution.undecided[probe];
      auto& ids = attribution.trace_ids[scene];
      ids.insert(std::upper_bound(ids.begin(), ids.end(), trace), trace);
    }
  }

  std::vector<SceneTiming> timings = scene_timings(spans, *media.index);
  list.scenes.reserve(spans.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    list.scenes.push_back(Scene{spans[i].first, spans[i].last, std::move(attribution.trace_ids[i]),
                                timings[i].start_secs, timings[i].duration_secs});
    list.duration_secs = timings[i].start_secs + timings[i].duration_secs;
  }
  return list;
}

std::string scenes_json(const std::string& file_uuid, const SceneList& list) {
  JsonWriter w;
  w.begin_object().field("success", true).field("file_uuid", file_uuid).field("identity_uuid", list.identity_uuid);
  if (list.with_identity_uuid) w.field("with_identity_uuid", *list.with_identity_uuid);
  w.field("pad_frames", list.pad_frames).field("gap_frames", list.gap_frames);
  w.field("duration_secs", list.duration_secs).key("scenes").begin_array();
  for (const Scene& scene : list.scenes) {
    w.begin_object().field("start_frame", scene.start_frame).field("end_frame", scene.end_frame);
    w.key("trace_ids").begin_array();
    for (int64_t id : scene.trace_ids) w.integer(id);
    w.end_array().field("start_secs", scene.start_secs).field("duration_secs", scene.duration_secs).end_object();
  }
  w.end_array().end_object();
  return w.str();
}

std::string scenes_text(const SceneList& list) {
  std::string text;
  for (const Scene& scene : list.scenes) {
    std::string traces;
    for (int64_t id : scene.trace_ids) traces += (traces.empty() ? "" : ",") + std::to_string(id);
    text += "frames " + std::to_string(scene.start_frame) + "-" + std::to_string(scene.end_frame) + "  at " +
            format_fixed(scene.start_secs, 3) + " s for " + format_fixed(scene.duration_secs, 3) + " s  traces " +
            (traces.empty() ? "-" : traces) + "\n";
  }
  if (list.scenes.empty()) text = "no scenes\n";
  return text;
}

}  // namespace frameserve::faces
