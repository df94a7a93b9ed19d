#include "discovery/discovery_service.hpp"

namespace frameserve::discovery {

Result<db::Page<db::FileListing>> DiscoveryService::files(const auth::Principal& principal,
                                                          const std::optional<db::FileKey>& after, int limit) {
  auto visible = m_authenticator.visible_files(principal);
  if (!visible) return visible.error();
  // A key limited to no (remaining) file sees an empty list, not every file.
  if (visible.value() && visible.value()->empty()) return db::Page<db::FileListing>{};
  return m_store.files(visible.value(), after, limit);
}

Result<db::FileListing> DiscoveryService::file(const std::string& file_uuid) { return m_store.file(file_uuid); }

Result<db::Page<db::IdentityListing>> DiscoveryService::identities(const std::string& file_uuid,
                                                                   const std::optional<std::string>& after, int limit) {
  return m_store.identities(file_uuid, after, limit);
}

Result<db::Page<db::TraceListing>> DiscoveryService::traces(const std::string& file_uuid,
                                                            const std::optional<std::string>& identity_uuid,
                                                            const std::optional<int64_t>& after, int limit) {
  return m_store.traces(file_uuid, identity_uuid, after, limit);
}

Result<db::Page<FrameDetections>> DiscoveryService::detections(const db::ResolvedFile& file, int64_t start_frame,
                                                               int64_t end_frame, const std::optional<int64_t>& from,
                                                               int limit) {
  const media::MediaFile& media = *file.media;
  int64_t last_valid = media.info.frame_count - 1;
  if (start_frame > end_frame) {
    return invalid_argument("bad_frame_range", "start_frame " + std::to_string(start_frame) + " is after end_frame " +
                                                   std::to_string(end_frame));
  }
  if (end_frame - start_frame + 1 > k_max_detection_frames) {
    return invalid_argument("bad_frame_range", "at most " + std::to_string(k_max_detection_frames) +
                                                   " frames per call: end_frame may be at most " +
                                                   std::to_string(start_frame + k_max_detection_frames - 1) +
                                                   " for start_frame " + std::to_string(start_frame));
  }
  if (end_frame > last_valid) {
    return invalid_argument("bad_frame_range", "end_frame " + std::to_string(end_frame) +
                                                   " is outside the file: frames are 0 to " +
                                                   std::to_string(last_valid));
  }
  int64_t first = from.value_or(start_frame);
  if (first < start_frame || first > end_frame) {
    return invalid_argument("bad_cursor",
                            "the cursor belongs to another frame range; repeat the call with the "
                            "start_frame and end_frame that returned it");
  }

  const std::string& uuid = media.file_uuid;
  auto frames = m_store.detection_frames(uuid, first, end_frame, limit);
  if (!frames) return frames.error();
  db::Page<FrameDetections> page;
  page.more = frames->more;
  if (frames->items.empty()) return page;

  auto boxes = m_detections.in_frames(uuid, frames->items.front(), frames->items.back());
  if (!boxes) return boxes.error();
  auto labels = m_detections.trace_labels(uuid);
  if (!labels) return labels.error();
  for (const db::BoxDetection& box : boxes.value()) {
    if (page.items.empty() || page.items.back().frame_number != box.frame_number) {
      page.items.push_back(FrameDetections{box.frame_number, media.timestamp_secs(box.frame_number), {}});
    }
    FrameDetection d{box, "", "", ""};
    if (auto it = labels->find(box.trace_id); it != labels->end()) {
      d.identity_uuid = it->second.identity_uuid;
      d.name = it->second.identity_name;
      d.label = it->second.label;
    }
    page.items.back().detections.push_back(std::move(d));
  }
  return page;
}

}  // namespace frameserve::discovery
