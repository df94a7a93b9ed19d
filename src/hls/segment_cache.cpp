#include "hls/segment_cache.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <vector>

#include "common/log.hpp"
#include "common/metrics.hpp"

namespace frameserve::hls {

namespace fs = std::filesystem;

namespace {
// Instances on one host each take one of these directories under the root.
constexpr int k_max_instances = 64;
// A render's bytes are also kept in memory, for the requests waiting for it
// when they cannot be kept on disk, up to this much.
constexpr size_t k_max_shared_bytes = 64u << 20;
// A full disk: evict at least this much at once, not one entry per write.
constexpr uint64_t k_room_slack = 8u << 20;

std::string safe(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}
}  // namespace

// Writes a stream's bytes to the client's sink, to the cache's file and to
// memory (for the requests waiting for this render).
class TeeSink : public process::ByteSink {
 public:
  TeeSink(SegmentCache& cache, process::ByteSink& client, int fd, std::string failure)
      : m_cache(cache), m_client(client), m_fd(fd), m_failure(std::move(failure)) {}
  bool write(const char* data, size_t size) override {
    if (m_keep_bytes) {
      if (m_bytes.size() + size <= k_max_shared_bytes) {
        m_bytes.append(data, size);
      } else {
        m_keep_bytes = false;
        m_bytes = std::string();
      }
    }
    m_total += size;
    if (m_fd >= 0 && m_failure.empty() && !m_too_large) write_file(data, size);
    return m_client.write(data, size);
  }
  bool is_open() override { return m_client.is_open(); }
  bool would_block() override { return m_client.would_block(); }

  // Empty when every byte reached the file.
  const std::string& failure() const { return m_failure; }
  bool too_large() const { return m_too_large; }
  uint64_t total() const { return m_total; }
  // The bytes, when all of them were kept in memory.
  std::shared_ptr<const std::string> take_bytes() {
    if (!m_keep_bytes || m_bytes.size() != m_total) return nullptr;
    return std::make_shared<const std::string>(std::move(m_bytes));
  }

 private:
  void write_file(const char* data, size_t size) {
    if (m_total > m_cache.m_max_bytes) {
      // It will not be kept: stop spending the disk on it.
      m_too_large = true;
      return;
    }
    size_t done = 0;
    bool made_room = false;
    while (done < size) {
      ssize_t n = ::write(m_fd, data + done, size - done);
      if (n > 0) {
        done += static_cast<size_t>(n);
        continue;
      }
      int error = n < 0 ? errno : ENOSPC;
      if (error == EINTR) continue;
      if (error == ENOSPC && !made_room && m_cache.make_room(size - done + k_room_slack)) {
        made_room = true;
        continue;
      }
      m_failure = std::string("writing a segment failed: ") + std::strerror(error);
      return;
    }
  }

  SegmentCache& m_cache;
  process::ByteSink& m_client;
  int m_fd;
  std::string m_failure;
  bool m_too_large = false;
  bool m_keep_bytes = true;
  std::string m_bytes;
  uint64_t m_total = 0;
};

// A segment's stream that leaves a copy in the cache when it completes.
class TeeStream : public process::MediaStream {
 public:
  TeeStream(SegmentCache& cache, std::unique_ptr<SegmentCache::Fill> fill, std::unique_ptr<process::MediaStream> inner,
            std::string temp, int fd, std::string failure)
      : m_cache(cache),
        m_fill(std::move(fill)),
        m_inner(std::move(inner)),
        m_temp(std::move(temp)),
        m_fd(fd),
        m_failure(std::move(failure)) {}
  ~TeeStream() override {
    if (m_fd >= 0) ::close(m_fd);
    if (!m_temp.empty()) ::unlink(m_temp.c_str());
    // Children are reaped before waiters wake up and look for the file.
    m_inner.reset();
    m_fill.reset();
  }

  process::StreamOutcome pump(process::ByteSink& sink, const process::FrameProgress& on_frames) override {
    TeeSink tee(m_cache, sink, m_fd, m_failure);
    process::StreamOutcome outcome = m_inner->pump(tee, on_frames);
    std::string failure = tee.failure();
    if (m_fd >= 0) {
      if (::close(m_fd) != 0 && failure.empty()) {
        failure = std::string("closing a segment failed: ") + std::strerror(errno);
      }
      m_fd = -1;
    }
    if (!outcome.completed() || tee.total() == 0) return outcome;
    const std::string& key = m_fill->m_key;
    if (tee.too_large()) {
      m_cache.not_kept("too_large", "a segment of more than " + std::to_string(m_cache.m_max_bytes) +
                                        " bytes is larger than --cache-max-bytes");
    } else if (!failure.empty()) {
      m_cache.not_kept("write_failed", failure);
    } else {
      std::error_code ec;
      fs::rename(m_temp, m_cache.path_of(key), ec);
      if (!ec) {
        m_temp.clear();
        m_cache.commit(key, tee.total());
        return outcome;
      }
      m_cache.not_kept("write_failed", "renaming a segment into place failed: " + ec.message());
    }
    // Not kept on disk: the requests waiting for it get the bytes.
    m_fill->m_result = tee.take_bytes();
    return outcome;
  }
  using process::MediaStream::pump;

 private:
  SegmentCache& m_cache;
  std::unique_ptr<SegmentCache::Fill> m_fill;
  std::unique_ptr<process::MediaStream> m_inner;
  std::string m_temp;
  int m_fd;
  std::string m_failure;
};

SegmentCache::SegmentCache(std::string root, uint64_t max_bytes) : m_root(std::move(root)), m_max_bytes(max_bytes) {}

SegmentCache::~SegmentCache() {
  if (m_lock_fd >= 0) ::close(m_lock_fd);
}

SegmentCache::Fill::~Fill() { m_cache.release(m_key, std::move(m_result)); }

std::string SegmentCache::path_of(const std::string& key) const { return m_dir + "/" + key; }

bool SegmentCache::take_instance_dir() {
  // m_mutex held. The lock is held for the life of the process (the kernel
  // drops it when the process dies), so a directory is never shared by two
  // live instances, and whatever its previous owner left is this one's.
  std::error_code ec;
  fs::create_directories(m_root, ec);
  if (ec) {
    m_unusable_reason = "cannot create " + m_root + ": " + ec.message();
    return false;
  }
  for (int n = 0; n < k_max_instances; ++n) {
    std::string dir = m_root + "/instance-" + std::to_string(n);
    fs::create_directories(dir, ec);
    if (ec) {
      m_unusable_reason = "cannot create " + dir + ": " + ec.message();
      return false;
    }
    int fd = ::open((dir + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      m_unusable_reason = "cannot create " + dir + "/.lock: " + std::strerror(errno);
      return false;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      m_lock_fd = fd;
      m_dir = dir;
      return true;
    }
    ::close(fd);
  }
  m_unusable_reason = "all " + std::to_string(k_max_instances) + " instance directories of " + m_root +
                      " are locked by running instances";
  return false;
}

bool SegmentCache::ensure_dir() {
  // Called with m_mutex held: takes this instance's directory, scans what
  // its earlier owner left (its files' modification times give their order)
  // and removes that owner's temporary files (it is gone: it held the lock).
  if (m_scanned) return !m_unusable;
  m_scanned = true;
  if (!take_instance_dir() || ::access(m_dir.c_str(), W_OK) != 0) {
    if (m_unusable_reason.empty()) m_unusable_reason = "cannot write " + m_dir;
    m_unusable = true;
    log::warn("segment cache: " + m_unusable_reason + "; HLS segments are rendered without caching");
    return false;
  }
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, std::pair<std::string, uint64_t>>> found;
  for (const auto& item : fs::directory_iterator(m_dir, ec)) {
    std::string name = item.path().filename().string();
    if (name == ".lock") continue;
    if (name.rfind(".tmp", 0) == 0) {
      fs::remove(item.path(), ec);
      continue;
    }
    if (!item.is_regular_file(ec)) continue;
    found.push_back({item.last_write_time(ec), {name, static_cast<uint64_t>(item.file_size(ec))}});
  }
  std::sort(found.begin(), found.end());
  for (const auto& [time, file] : found) {
    m_entries[file.first] = Entry{file.second, ++m_clock};
    m_total += file.second;
  }
  evict_to(m_max_bytes);
  log::info("segment cache: " + m_dir + " (" + std::to_string(m_entries.size()) + " segments, " +
            std::to_string(m_total) + " bytes)");
  return true;
}

SegmentCache::Lookup SegmentCache::lookup(const std::string& key, std::chrono::milliseconds wait) {
  auto& metrics = metrics::get();
  std::unique_lock lock(m_mutex);
  bool usable = ensure_dir();
  auto until = std::chrono::steady_clock::now() + wait;
  while (true) {
    auto found = usable ? m_entries.find(key) : m_entries.end();
    if (found != m_entries.end()) {
      struct stat st {};
      if (::stat(path_of(key).c_str(), &st) == 0 && static_cast<uint64_t>(st.st_size) == found->second.size) {
        found->second.last_used = ++m_clock;
        metrics.segment_cache_hits.Add({}).Increment();
        return Lookup{path_of(key), nullptr, nullptr};
      }
      // Removed (or cut short) behind our back: render it again.
      log::warn("segment cache: " + path_of(key) + " went missing; rendering it again");
      erase_entry(found);
    }
    auto rendering = m_rendering.find(key);
    if (rendering == m_rendering.end()) {
      m_rendering.emplace(key, std::make_shared<Render>());
      metrics.segment_cache_misses.Add({}).Increment();
      return Lookup{std::nullopt, nullptr, std::unique_ptr<Fill>(new Fill(*this, key))};
    }
    std::shared_ptr<Render> render = rendering->second;
    if (!m_changed.wait_until(lock, until, [&] { return render->done; })) {
      metrics.segment_cache_misses.Add({}).Increment();
      return Lookup{};
    }
    if (render->result) {
      metrics.segment_cache_hits.Add({}).Increment();
      return Lookup{std::nullopt, render->result, nullptr};
    }
    // Kept on disk (found above on the next turn), or failed (then this
    // request renders it).
  }
}

std::optional<std::string> SegmentCache::peek(const std::string& key) {
  std::lock_guard lock(m_mutex);
  if (!ensure_dir()) return std::nullopt;
  auto found = m_entries.find(key);
  if (found == m_entries.end()) return std::nullopt;
  struct stat st {};
  if (::stat(path_of(key).c_str(), &st) != 0 || static_cast<uint64_t>(st.st_size) != found->second.size) {
    erase_entry(found);
    return std::nullopt;
  }
  return path_of(key);
}

void SegmentCache::forget(const std::string& key) {
  std::lock_guard lock(m_mutex);
  auto found = m_entries.find(key);
  if (found != m_entries.end()) erase_entry(found);
}

std::unique_ptr<process::MediaStream> SegmentCache::tee(std::unique_ptr<Fill> fill,
                                                        std::unique_ptr<process::MediaStream> stream) {
  if (!fill) return stream;
  std::string temp;
  std::string failure;
  {
    std::lock_guard lock(m_mutex);
    if (m_unusable) {
      failure = m_unusable_reason;
    } else {
      temp = m_dir + "/.tmp" + std::to_string(::getpid()) + "_" + std::to_string(++m_temp_counter);
    }
  }
  int fd = -1;
  if (!temp.empty()) {
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      failure = "cannot create " + temp + ": " + std::strerror(errno);
      temp.clear();
    }
  }
  return std::make_unique<TeeStream>(*this, std::move(fill), std::move(stream), std::move(temp), fd,
                                     std::move(failure));
}

void SegmentCache::release(const std::string& key, std::shared_ptr<const std::string> result) {
  {
    std::lock_guard lock(m_mutex);
    auto found = m_rendering.find(key);
    if (found != m_rendering.end()) {
      found->second->result = std::move(result);
      found->second->done = true;
      m_rendering.erase(found);
    }
  }
  m_changed.notify_all();
}

void SegmentCache::erase_entry(std::map<std::string, Entry>::iterator it) {
  // m_mutex held.
  std::error_code ec;
  fs::remove(path_of(it->first), ec);
  m_total -= it->second.size;
  m_entries.erase(it);
  metrics::get().segment_cache_bytes.Add({}).Set(static_cast<double>(m_total));
}

void SegmentCache::evict_to(uint64_t total) {
  // m_mutex held.
  while (m_total > total && !m_entries.empty()) {
    auto oldest = std::min_element(m_entries.begin(), m_entries.end(), [](const auto& a, const auto& b) {
      return a.second.last_used < b.second.last_used;
    });
    erase_entry(oldest);
  }
  metrics::get().segment_cache_bytes.Add({}).Set(static_cast<double>(m_total));
}

void SegmentCache::commit(const std::string& key, uint64_t size) {
  std::lock_guard lock(m_mutex);
  auto& entry = m_entries[key];
  m_total -= entry.size;
  entry = Entry{size, ++m_clock};
  m_total += size;
  evict_to(m_max_bytes);
}

bool SegmentCache::make_room(uint64_t bytes) {
  std::lock_guard lock(m_mutex);
  if (m_entries.empty()) return false;
  evict_to(m_total > bytes ? m_total - bytes : 0);
  return true;
}

void SegmentCache::not_kept(const char* reason, const std::string& detail) {
  metrics::get().segment_cache_uncached.Add({{"reason", reason}}).Increment();
  bool first = false;
  {
    std::lock_guard lock(m_mutex);
    bool& logged = std::string_view(reason) == "too_large" ? m_logged_too_large : m_logged_write_failed;
    first = !logged;
    logged = true;
  }
  if (first) {
    log::warn("segment cache: " + detail +
              "; such segments are not kept (requests at the same time share one "
              "render); counted in frameserve_segment_cache_uncached_total, logged once");
  }
}

std::string SegmentCache::dir() const {
  std::lock_guard lock(m_mutex);
  return m_dir;
}

uint64_t SegmentCache::bytes() const {
  std::lock_guard lock(m_mutex);
  return m_total;
}

std::string segment_cache_key(const SegmentKeyParts& p) {
  // v2: bump when the rendering of a segment changes.
  return "v2-" + safe(p.file_uuid) + "-g" + std::to_string(p.registered_at_us) + "-m" +
         std::to_string(p.file_mtime_ns) + "-z" + std::to_string(p.file_size) + "-r" +
         std::to_string(p.detections_revision) + "-" + safe(p.view) + "-f" + std::to_string(p.range_first) + "_" +
         std::to_string(p.range_last) + "-s" + std::to_string(p.segment_first) + "_" + std::to_string(p.segment_last) +
         (p.audio ? "-a" : "-n") + "-" + safe(p.x264_preset) + "-q" + std::to_string(p.crf) + "-b" +
         std::to_string(p.audio_kbps) + ".ts";
}

}  // namespace frameserve::hls
