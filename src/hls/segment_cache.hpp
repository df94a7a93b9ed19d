// SegmentCache: rendered HLS segments kept on disk, bounded in size (least
// recently used first out), so that a second request for a segment is a
// file read instead of an ffmpeg run.
//
// A key names everything that changes a segment's bytes (see
// segment_cache_key); a file is written under a temporary name while its
// first client streams it and renamed into place only when the render
// completed, so a half-written segment is never served. Requests for a key
// that is being rendered wait for that render instead of starting another
// one; if it fails, one of them renders it.
//
// Thread-safe: one mutex over the index and the in-flight set; file I/O of
// a render happens outside it. Owned by the AppContext.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "process/media_stream.hpp"

namespace frameserve::hls {

class SegmentCache {
 public:
  // `dir` is created when first needed. Cannot fail; a directory that cannot
  // be written makes every lookup a miss (logged once).
  SegmentCache(std::string dir, uint64_t max_bytes);

  // The right to render one key, held by exactly one request; destroying it
  // releases the key and wakes the requests waiting for it.
  class Fill {
   public:
    ~Fill();
    Fill(const Fill&) = delete;
    Fill& operator=(const Fill&) = delete;

   private:
    friend class SegmentCache;
    friend class TeeStream;
    Fill(SegmentCache& cache, std::string key) : m_cache(cache), m_key(std::move(key)) {}
    SegmentCache& m_cache;
    std::string m_key;
  };

  struct Lookup {
    std::optional<std::string> path;  // a hit: the cached file
    std::unique_ptr<Fill> fill;       // a miss: this caller renders it
    // Neither: another request kept rendering it past `wait`; render
    // without caching.
  };

  // Finds `key`, waiting up to `wait` while another request renders it.
  // Counts hits and misses in the metrics. Cannot fail.
  Lookup lookup(const std::string& key, std::chrono::milliseconds wait);

  // Wraps a segment's stream so that its bytes also go to the cache; the
  // file is renamed into place when the stream completes. With a null
  // `fill`, returns `stream` itself. Cannot fail (a write error to the
  // cache only leaves the segment uncached).
  std::unique_ptr<process::MediaStream> tee(std::unique_ptr<Fill> fill, std::unique_ptr<process::MediaStream> stream);

  const std::string& dir() const { return m_dir; }
  uint64_t bytes() const;

 private:
  friend class TeeStream;
  struct Entry {
    uint64_t size = 0;
    uint64_t last_used = 0;
  };
  std::string path_of(const std::string& key) const;
  bool ensure_dir();
  void release(const std::string& key);
  // Records a file renamed into place and evicts the least recently used
  // entries beyond the bound.
  void commit(const std::string& key, uint64_t size);

  const std::string m_dir;
  const uint64_t m_max_bytes;
  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  bool m_scanned = false;
  bool m_unusable = false;
  uint64_t m_clock = 0;
  uint64_t m_total = 0;
  uint64_t m_temp_counter = 0;
  std::map<std::string, Entry> m_entries;  // by key (the file name)
  std::set<std::string> m_rendering;
};

// The cache key (also the file name) of a segment: file and its version,
// detections revision, view, range, the segment's frames, audio and the
// encoder settings. Only [A-Za-z0-9_.-]. Cannot fail.
struct SegmentKeyParts {
  std::string file_uuid;
  int64_t file_mtime_ns = 0;
  int64_t file_size = 0;
  int64_t detections_revision = 0;
  std::string view;  // "video", "bbox", "trace<ID>"
  int64_t range_first = 0;
  int64_t range_last = 0;
  int64_t segment_first = 0;
  int64_t segment_last = 0;
  bool audio = true;
  std::string x264_preset;
  int crf = 0;
  int audio_kbps = 0;
};
std::string segment_cache_key(const SegmentKeyParts& parts);

}  // namespace frameserve::hls
