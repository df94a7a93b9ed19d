// SegmentCache: rendered HLS segments kept on disk, bounded in size (least
// recently used first out), so that a second request for a segment is a
// file read instead of an ffmpeg run.
//
// Every instance keeps its segments in a directory of its own under the
// configured root (`<root>/instance-N`, the first N whose lock file it can
// flock), so instances on one host never evict or clean up each other's
// files; a restarted instance takes a free directory again and reuses what
// it holds. A file that went missing (a temp cleaner, a hand) is a miss
// that renders again.
//
// A key names everything that changes a segment's bytes (see
// segment_cache_key); a file is written under a temporary name while its
// first client streams it and renamed into place only when the render
// completed, so a half-written segment is never served. Requests for a key
// that is being rendered wait for that render instead of starting another
// one, and get its bytes even when they could not be kept (larger than the
// bound, a full or read-only disk); if it fails, one of them renders it.
// A full disk evicts to make room; a write failure is logged once with its
// reason and every render not kept is counted in
// frameserve_segment_cache_uncached_total.
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
#include <string>

#include "process/media_stream.hpp"

namespace frameserve::hls {

class SegmentCache {
 public:
  // `root` is created when first needed and this instance's directory taken
  // in it. Cannot fail; a root that cannot be written makes every render
  // uncached (logged once).
  SegmentCache(std::string root, uint64_t max_bytes);
  ~SegmentCache();
  SegmentCache(const SegmentCache&) = delete;
  SegmentCache& operator=(const SegmentCache&) = delete;

  // The right to render one key, held by exactly one request; destroying it
  // releases the key and wakes the requests waiting for it, handing them
  // the render's bytes when they were not kept on disk.
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
    std::shared_ptr<const std::string> m_result;  // a completed render not kept on disk
  };

  struct Lookup {
    std::optional<std::string> path;            // a hit: the cached file
    std::shared_ptr<const std::string> shared;  // another request's render, not kept on disk
    std::unique_ptr<Fill> fill;                 // a miss: this caller renders it
    // None: another request kept rendering it past `wait`; render without
    // caching.
  };

  // Finds `key`, waiting up to `wait` while another request renders it.
  // Counts hits (file or shared render) and misses in the metrics. Cannot
  // fail.
  Lookup lookup(const std::string& key, std::chrono::milliseconds wait);

  // The cached file of `key`, if there is one, without waiting or counting
  // (for HEAD). Cannot fail.
  std::optional<std::string> peek(const std::string& key);

  // Drops `key`, whose file turned out to be gone. Cannot fail.
  void forget(const std::string& key);

  // Wraps a segment's stream so that its bytes also go to the cache; the
  // file is renamed into place when the stream completes. With a null
  // `fill`, returns `stream` itself. Cannot fail (a write error to the
  // cache only leaves the segment uncached).
  std::unique_ptr<process::MediaStream> tee(std::unique_ptr<Fill> fill, std::unique_ptr<process::MediaStream> stream);

  // This instance's directory (empty before the first lookup, or when none
  // could be taken).
  std::string dir() const;
  uint64_t bytes() const;

 private:
  friend class TeeStream;
  friend class TeeSink;
  struct Entry {
    uint64_t size = 0;
    uint64_t last_used = 0;
  };
  // A render in flight: waiters hold it until it is done.
  struct Render {
    bool done = false;
    std::shared_ptr<const std::string> result;
  };
  std::string path_of(const std::string& key) const;
  bool ensure_dir();
  bool take_instance_dir();
  void release(const std::string& key, std::shared_ptr<const std::string> result);
  // Records a file renamed into place and evicts the least recently used
  // entries beyond the bound.
  void commit(const std::string& key, uint64_t size);
  // Evicts least recently used entries until `total` fits; m_mutex held.
  void evict_to(uint64_t total);
  void erase_entry(std::map<std::string, Entry>::iterator it);
  // A full disk: evicts entries freeing at least `bytes`; false when there
  // was nothing to evict.
  bool make_room(uint64_t bytes);
  // Counts a render that was not kept; logs the first of each reason.
  void not_kept(const char* reason, const std::string& detail);

  const std::string m_root;
  const uint64_t m_max_bytes;
  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  std::string m_dir;  // this instance's directory, once taken
  int m_lock_fd = -1;
  std::string m_unusable_reason;
  bool m_scanned = false;
  bool m_unusable = false;
  bool m_logged_too_large = false;
  bool m_logged_write_failed = false;
  uint64_t m_clock = 0;
  uint64_t m_total = 0;
  uint64_t m_temp_counter = 0;
  std::map<std::string, Entry> m_entries;  // by key (the file name)
  std::map<std::string, std::shared_ptr<Render>> m_rendering;
};

// The cache key (also the file name) of a segment: file, its registration
// and version, detections revision, view, range, the segment's frames,
// audio and the encoder settings. Only [A-Za-z0-9_.-]. Cannot fail.
struct SegmentKeyParts {
  std::string file_uuid;
  // A uuid removed and registered again starts its detections revision
  // over: the registration tells the two apart.
  int64_t registered_at_us = 0;
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
