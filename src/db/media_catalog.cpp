#include "db/media_catalog.hpp"

namespace frameserve::db {

Result<ResolvedFile> MediaCatalog::resolve(const std::string& file_uuid) {
  auto row = m_files.find(file_uuid);
  if (!row) return row.error();

  std::shared_ptr<const media::FrameIndex> index;
  {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(file_uuid);
    if (it != m_entries.end() && it->second.first.registered_at_us == row->registered_at_us) {
      index = it->second.first.index;
      m_lru.splice(m_lru.begin(), m_lru, it->second.second);
    }
  }
  if (!index) {
    // Loaded outside the lock: two threads may both load a cold index, which
    // is harmless and keeps one slow load from blocking every request.
    auto loaded = m_files.load_index(file_uuid);
    if (!loaded) return loaded.error();
    index = loaded.value();
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(file_uuid);
    if (it != m_entries.end()) {
      m_lru.erase(it->second.second);
      m_entries.erase(it);
    }
    m_lru.push_front(file_uuid);
    m_entries.emplace(file_uuid, std::make_pair(Entry{row->registered_at_us, index}, m_lru.begin()));
    while (m_entries.size() > m_max_cached) {
      m_entries.erase(m_lru.back());
      m_lru.pop_back();
    }
  }

  auto media = std::make_shared<media::MediaFile>();
  media->file_uuid = row->file_uuid;
  media->path = row->path;
  media->info = row->info;
  media->index = std::move(index);
  return ResolvedFile{std::move(media), row->detections_revision, row->registered_at_us, row->identity()};
}

}  // namespace frameserve::db
