#include "media/image_splitter.hpp"

namespace frameserve::media {

namespace {
uint32_t be32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

int64_t png_length(const std::string& b) {
  static const char k_signature[] = "\x89PNG\r\n\x1a\n";
  if (b.size() < 8) return 0;
  if (b.compare(0, 8, std::string(k_signature, 8)) != 0) return -1;
  size_t at = 8;
  while (at + 8 <= b.size()) {
    uint64_t length = be32(b, at);
    bool end = b.compare(at + 4, 4, "IEND") == 0;
    at += 12 + length;
    if (end) return at <= b.size() ? static_cast<int64_t>(at) : 0;
  }
  return 0;
}

int64_t jpeg_length(const std::string& b) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() < 2) return 0;
  if (byte(0) != 0xFF || byte(1) != 0xD8) return -1;
  size_t at = 2;
  bool in_scan = false;
  while (at + 1 < b.size()) {
    if (in_scan) {
      // Entropy-coded data: FF 00 is a stuffed byte, FF D0..D7 a restart
      // marker; any other FF xx is the next marker.
      if (byte(at) != 0xFF) {
        ++at;
        continue;
      }
      unsigned char next = byte(at + 1);
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7) || next == 0xFF) {
        at += next == 0xFF ? 1 : 2;
        continue;
      }
      in_scan = false;
    }
    if (byte(at) != 0xFF) return -1;
    unsigned char marker = byte(at + 1);
    if (marker == 0xD9) return static_cast<int64_t>(at + 2);
    if (marker == 0xFF) {
      ++at;
      continue;
    }
    if (at + 4 > b.size()) return 0;
    size_t length = (static_cast<size_t>(byte(at + 2)) << 8) | byte(at + 3);
    at += 2 + length;
    if (marker == 0xDA) in_scan = true;
  }
  return 0;
}
}  // namespace

int64_t ImageSplitter::complete_length() const {
  switch (m_format) {
    case BatchFormat::png: return png_length(m_buffer);
    case BatchFormat::jpeg: return jpeg_length(m_buffer);
    case BatchFormat::raw:
      if (m_raw_size == 0) return -1;
      return m_buffer.size() >= m_raw_size ? static_cast<int64_t>(m_raw_size) : 0;
  }
  return -1;
}

Result<bool> ImageSplitter::push(const char* data, size_t size, const std::function<bool(std::string&&)>& on_image) {
  m_buffer.append(data, size);
  while (!m_buffer.empty()) {
    int64_t length = complete_length();
    if (length < 0)
      return tool_failed("the encoder wrote something that is not a " + std::string(batch_extension(m_format)) +
                         " image");
    if (length == 0) break;
    std::string image = m_buffer.substr(0, static_cast<size_t>(length));
    m_buffer.erase(0, static_cast<size_t>(length));
    if (!on_image(std::move(image))) return false;
  }
  return true;
}

}  // namespace frameserve::media
