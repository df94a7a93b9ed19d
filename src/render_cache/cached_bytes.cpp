#include "render_cache/cached_bytes.hpp"

#include <cctype>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>

#include "process/byte_sink.hpp"
#include "process/media_stream.hpp"

namespace frameserve::render_cache {

namespace {
// A rendered image, as the stream the segment cache's tee() stores.
class BytesStream : public process::MediaStream {
 public:
  explicit BytesStream(const std::string& bytes) : m_bytes(bytes) {}
  process::StreamOutcome pump(process::ByteSink& sink, const process::FrameProgress&) override {
    process::StreamOutcome outcome;
    if (!sink.write(m_bytes.data(), m_bytes.size())) outcome.end = process::StreamOutcome::End::client_gone;
    outcome.bytes = m_bytes.size();
    return outcome;
  }
  using process::MediaStream::pump;

 private:
  const std::string& m_bytes;
};

std::optional<std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad() || data.empty()) return std::nullopt;
  return data;
}
}  // namespace

std::string key_safe(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

Result<CachedBytes> cached_render(hls::SegmentCache& cache, const std::string& key, std::chrono::milliseconds wait,
                                  const std::string& what, const std::function<Result<std::string>()>& render) {
  auto cached = cache.lookup(key, wait);
  if (cached.path) {
    if (auto bytes = read_whole(*cached.path)) return CachedBytes{std::move(*bytes), true};
    // Evicted between lookup and read: render it again, uncached.
  }
  if (cached.shared && !cached.shared->empty()) return CachedBytes{*cached.shared, true};
  auto bytes = render();
  if (!bytes) return bytes.error();
  if (bytes->empty()) return tool_failed("ffmpeg produced no " + what);
  if (cached.fill) {
    // The tee writes the bytes to its file and renames it into place once
    // the stream completed; the copy in `copy` is dropped.
    process::StringSink copy(bytes->size());
    auto tee = cache.tee(std::move(cached.fill), std::make_unique<BytesStream>(bytes.value()));
    (void)tee->pump(copy);
  }
  return CachedBytes{std::move(bytes.value()), false};
}

}  // namespace frameserve::render_cache
