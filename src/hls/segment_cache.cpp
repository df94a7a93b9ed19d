#include "hls/segment_cache.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "common/log.hpp"
#include "common/metrics.hpp"

namespace frameserve::hls {

namespace fs = std::filesystem;

namespace {
// Writes a stream's bytes to the client's sink and to the cache's file.
class TeeSink : public process::ByteSink {
 public:
  TeeSink(process::ByteSink& client, int fd) : m_client(client), m_fd(fd) {}
  bool write(const char* data, size_t size) override {
    size_t done = 0;
    while (m_file_ok && done < size) {
      ssize_t n = ::write(m_fd, data + done, size - done);
      if (n <= 0) {
        m_file_ok = false;
        break;
      }
      done += static_cast<size_t>(n);
    }
    m_written += done;
    return m_client.write(data, size);
  }
  bool is_open() override { return m_client.is_open(); }
  bool would_block() override { return m_client.would_block(); }
  bool file_ok() const { return m_file_ok; }
  uint64_t written() const { return m_written; }

 private:
  process::ByteSink& m_client;
  int m_fd;
  bool m_file_ok = true;
  uint64_t m_written = 0;
};

std::string safe(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}
}  // namespace

// A segment's stream that leaves a copy in the cache when it completes.
class TeeStream : public process::MediaStream {
 public:
  TeeStream(SegmentCache& cache, std::unique_ptr<SegmentCache::Fill> fill, std::unique_ptr<process::MediaStream> inner,
            std::string temp, int fd)
      : m_cache(cache), m_fill(std::move(fill)), m_inner(std::move(inner)), m_temp(std::move(temp)), m_fd(fd) {}
  ~TeeStream() override {
    if (m_fd >= 0) ::close(m_fd);
    if (!m_temp.empty()) ::unlink(m_temp.c_str());
    // Children are reaped before waiters wake up and look for the file.
    m_inner.reset();
    m_fill.reset();
  }

  process::StreamOutcome pump(process::ByteSink& sink, const process::FrameProgress& on_frames) override {
    TeeSink tee(sink, m_fd);
    process::StreamOutcome outcome = m_inner->pump(tee, on_frames);
    bool closed = ::close(m_fd) == 0;
    m_fd = -1;
    if (outcome.completed() && tee.file_ok() && closed && tee.written() > 0) {
      const std::string& key = m_fill->m_key;
      std::error_code ec;
      fs::rename(m_temp, m_cache.path_of(key), ec);
      if (!ec) {
        m_temp.clear();
        m_cache.commit(key, tee.written());
      }
    }
    return outcome;
  }
  using process::MediaStream::pump;

 private:
  SegmentCache& m_cache;
  std::unique_ptr<SegmentCache::Fill> m_fill;
  std::unique_ptr<process::MediaStream> m_inner;
  std::string m_temp;
  int m_fd;
};

SegmentCache::SegmentCache(std::string dir, uint64_t max_bytes) : m_dir(std::move(dir)), m_max_bytes(max_bytes) {}

SegmentCache::Fill::~Fill() { m_cache.release(m_key); }

std::string SegmentCache::path_of(const std::string& key) const { return m_dir + "/" + key; }

bool SegmentCache::ensure_dir() {
  // Called with m_mutex held: scans what an earlier process left (its
  // files' modification times give their order) and removes stale
  // temporary files.
  if (m_scanned) return !m_unusable;
  m_scanned = true;
  std::error_code ec;
  fs::create_directories(m_dir, ec);
  if (ec || ::access(m_dir.c_str(), W_OK) != 0) {
    m_unusable = true;
    log::warn("segment cache: cannot write " + m_dir + "; HLS segments are rendered without caching");
    return false;
  }
  std::vector<std::pair<fs::file_time_type, std::pair<std::string, uint64_t>>> found;
  for (const auto& item : fs::directory_iterator(m_dir, ec)) {
    std::string name = item.path().filename().string();
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
  return true;
}

SegmentCache::Lookup SegmentCache::lookup(const std::string& key, std::chrono::milliseconds wait) {
  auto& metrics = metrics::get();
  std::unique_lock lock(m_mutex);
  if (!ensure_dir()) {
    metrics.segment_cache_misses.Add({}).Increment();
    return Lookup{};
  }
  auto until = std::chrono::steady_clock::now() + wait;
  while (true) {
    auto found = m_entries.find(key);
    if (found != m_entries.end()) {
      found->second.last_used = ++m_clock;
      metrics.segment_cache_hits.Add({}).Increment();
      return Lookup{path_of(key), nullptr};
    }
    if (!m_rendering.count(key)) {
      m_rendering.insert(key);
      metrics.segment_cache_misses.Add({}).Increment();
      return Lookup{std::nullopt, std::unique_ptr<Fill>(new Fill(*this, key))};
    }
    if (m_changed.wait_until(lock, until) == std::cv_status::timeout) {
      metrics.segment_cache_misses.Add({}).Increment();
      return Lookup{};
    }
  }
}

std::unique_ptr<process::MediaStream> SegmentCache::tee(std::unique_ptr<Fill> fill,
                                                        std::unique_ptr<process::MediaStream> stream) {
  if (!fill) return stream;
  std::string temp;
  {
    std::lock_guard lock(m_mutex);
    temp = m_dir + "/.tmp" + std::to_string(::getpid()) + "_" + std::to_string(++m_temp_counter);
  }
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return stream;
  return std::make_unique<TeeStream>(*this, std::move(fill), std::move(stream), std::move(temp), fd);
}

void SegmentCache::release(const std::string& key) {
  {
    std::lock_guard lock(m_mutex);
    m_rendering.erase(key);
  }
  m_changed.notify_all();
}

void SegmentCache::commit(const std::string& key, uint64_t size) {
  std::lock_guard lock(m_mutex);
  auto& entry = m_entries[key];
  m_total -= entry.size;
  entry = Entry{size, ++m_clock};
  m_total += size;
  while (m_total > m_max_bytes && !m_entries.empty()) {
    auto oldest = std::min_element(m_entries.begin(), m_entries.end(), [](const auto& a, const auto& b) {
      return a.second.last_used < b.second.last_used;
    });
    std::error_code ec;
    fs::remove(path_of(oldest->first), ec);
    m_total -= oldest->second.size;
    m_entries.erase(oldest);
  }
  metrics::get().segment_cache_bytes.Add({}).Set(static_cast<double>(m_total));
}

uint64_t SegmentCache::bytes() const {
  std::lock_guard lock(m_mutex);
  return m_total;
}

std::string segment_cache_key(const SegmentKeyParts& p) {
  // v1: bump when the rendering of a segment changes.
  return "v1-" + safe(p.file_uuid) + "-m" + std::to_string(p.file_mtime_ns) + "-z" + std::to_string(p.file_size) +
         "-r" + std::to_string(p.detections_revision) + "-" + safe(p.view) + "-f" + std::to_string(p.range_first) +
         "_" + std::to_string(p.range_last) + "-s" + std::to_string(p.segment_first) + "_" +
         std::to_string(p.segment_last) + (p.audio ? "-a" : "-n") + "-" + safe(p.x264_preset) + "-q" +
         std::to_string(p.crf) + "-b" + std::to_string(p.audio_kbps) + ".ts";
}

}  // namespace frameserve::hls
