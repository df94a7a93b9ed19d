#include "media/batch_feeder.hpp"

#include <cstring>
#include <sstream>

#include "process/pipe_write.hpp"

namespace frameserve::media {

int64_t parse_pam_header(const std::string& data, PamHeader& header) {
  if (data.size() >= 3 && data.compare(0, 3, "P7\n") != 0) return -1;
  size_t end = data.find("ENDHDR\n");
  if (end == std::string::npos) return data.size() > 512 ? -1 : 0;
  std::istringstream lines(data.substr(3, end - 3));
  std::string key;
  while (lines >> key) {
    if (key == "TUPLTYPE") {
      lines >> key;
      continue;
    }
    int64_t value = 0;
    if (!(lines >> value)) return -1;
    if (key == "WIDTH")
      header.width = value;
    else if (key == "HEIGHT")
      header.height = value;
    else if (key == "DEPTH")
      header.depth = value;
    else if (key == "MAXVAL")
      header.maxval = value;
  }
  if (header.width < 1 || header.height < 1 || header.depth < 1 || header.maxval < 1) return -1;
  return static_cast<int64_t>(end + 7);
}

std::string BatchFeeder::feed(process::OutputReader& decoder, int encoder_stdin, const std::atomic<bool>& stop) {
  std::string buffer;
  std::string chunk(1 << 20, '\0');
  std::string crop;
  bool eof = false;
  // Reads until `buffer` holds `want` bytes; false at EOF, error or stop.
  auto fill = [&](size_t want) {
    while (buffer.size() < want && !stop.load() && !eof) {
      auto got = decoder.read(chunk.data(), chunk.size(), std::chrono::milliseconds(200));
      if (got.status == process::OutputReader::ReadStatus::data)
        buffer.append(chunk.data(), got.size);
      else if (got.status != process::OutputReader::ReadStatus::timeout)
        eof = true;
    }
    return buffer.size() >= want;
  };
  auto decoder_short = [&](size_t done) {
    decoder.drain_stderr(std::chrono::milliseconds(500));
    std::string reason = decoder.failure_reason();
    return "the decoder delivered " + std::to_string(done) + " of " + std::to_string(m_frames.size()) + " frames" +
           (reason.empty() ? "" : ": " + reason);
  };

  for (size_t i = 0; i < m_frames.size(); ++i) {
    PamHeader header;
    int64_t header_size = 0;
    while ((header_size = parse_pam_header(buffer, header)) == 0) {
      if (!fill(buffer.size() + 1)) return stop.load() ? "" : decoder_short(i);
    }
    if (header_size < 0 || header.depth != 3) return "the decoder's frame " + std::to_string(i) + " is not RGB";
    const size_t sample = header.maxval > 255 ? 2 : 1;
    const size_t row = static_cast<size_t>(header.width) * 3 * sample;
    const size_t image = static_cast<size_t>(header_size) + row * static_cast<size_t>(header.height);
    if (!fill(image)) return stop.load() ? "" : decoder_short(i);
    const char* pixels = buffer.data() + header_size;
    for (const CropRect& c : m_frames[i].crops) {
      if (c.x < 0 || c.y < 0 || c.x + c.width > header.width || c.y + c.height > header.height) {
        return "crop outside frame " + std::to_string(m_frames[i].frame);
      }
      std::string ppm = "P6\n" + std::to_string(c.width) + " " + std::to_string(c.height) + "\n" +
                        std::to_string(header.maxval) + "\n";
      const size_t crop_row = static_cast<size_t>(c.width) * 3 * sample;
      crop.resize(crop_row * static_cast<size_t>(c.height));
      for (int64_t y = 0; y < c.height; ++y) {
        std::memcpy(crop.data() + static_cast<size_t>(y) * crop_row,
                    pixels + static_cast<size_t>(c.y + y) * row + static_cast<size_t>(c.x) * 3 * sample, crop_row);
      }
      if (!process::write_all(encoder_stdin, {iovec{ppm.data(), ppm.size()}, iovec{crop.data(), crop.size()}})) {
        return stop.load() ? "" : "the encoder stopped reading";
      }
    }
    buffer.erase(0, image);
  }
  return "";
}

}  // namespace frameserve::media
