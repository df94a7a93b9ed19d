#include "overlay/detection_feed.hpp"

#include <algorithm>

namespace frameserve::overlay {

Result<std::span<const db::BoxDetection>> DetectionFeed::at(int64_t frame) {
  if (frame > m_window_last) {
    m_window_first = frame;
    m_window_last = std::min(m_last_frame, frame + m_window_frames - 1);
    if (m_window_last < m_window_first) m_window_last = m_window_first;
    auto rows = m_store.in_frames(m_file_uuid, m_window_first, m_window_last);
    if (!rows) return rows.error();
    m_window = std::move(rows.value());
    m_cursor = 0;
    ++m_windows_read;
  }
  while (m_cursor < m_window.size() && m_window[m_cursor].frame_number < frame) ++m_cursor;
  size_t end = m_cursor;
  while (end < m_window.size() && m_window[end].frame_number == frame) ++end;
  return std::span<const db::BoxDetection>(m_window.data() + m_cursor, end - m_cursor);
}

}  // namespace frameserve::overlay
