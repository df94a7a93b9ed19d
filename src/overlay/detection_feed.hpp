// DetectionFeed: the detections of consecutive frames, read from the
// database one window of frames at a time.
//
// The cost of a frame is the cost of its own boxes: each window is one
// ranged, index-only query, so neither memory nor time depends on how many
// detections the whole film holds. Not thread-safe; one per stream.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/detection_store.hpp"

namespace frameserve::overlay {

class DetectionFeed {
 public:
  DetectionFeed(db::DetectionStore& store, std::string file_uuid, int64_t last_frame, int64_t window_frames = 256)
      : m_store(store), m_file_uuid(std::move(file_uuid)), m_last_frame(last_frame), m_window_frames(window_frames) {}

  // The detections on `frame`. Frames must be asked in increasing order;
  // the span is valid until the next call.
  Result<std::span<const db::BoxDetection>> at(int64_t frame);

  // Windows read so far (for tests and the benchmark).
  int64_t windows_read() const { return m_windows_read; }

 private:
  db::DetectionStore& m_store;
  std::string m_file_uuid;
  int64_t m_last_frame;
  int64_t m_window_frames;
  int64_t m_window_first = 0;
  int64_t m_window_last = -1;
  std::vector<db::BoxDetection> m_window;
  size_t m_cursor = 0;
  int64_t m_windows_read = 0;
};

}  // namespace frameserve::overlay
