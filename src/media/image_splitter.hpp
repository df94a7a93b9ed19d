// ImageSplitter: cuts an encoder's stdout (media/frame_batch) back into its
// images, by the format's own structure: PNG by its chunks up to IEND,
// JPEG by its marker segments and the entropy-coded scan up to EOI, raw
// RGB24 by the known size. Holds one partial image at a time.
// Not thread-safe; one per stream.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "common/result.hpp"
#include "media/frame_batch.hpp"

namespace frameserve::media {

class ImageSplitter {
 public:
  // `raw_size`: bytes per image for BatchFormat::raw (ignored otherwise).
  ImageSplitter(BatchFormat format, size_t raw_size) : m_format(format), m_raw_size(raw_size) {}

  // Appends `data`; calls `on_image` for every image completed (returning
  // false stops and makes push return false). Errors: `tool_failed` when
  // the bytes are not images of the format.
  Result<bool> push(const char* data, size_t size, const std::function<bool(std::string&&)>& on_image);

  // Sets the raw image size for the images that follow.
  void set_raw_size(size_t size) { m_raw_size = size; }
  // Bytes of an unfinished image (0 at a clean end).
  size_t pending() const { return m_buffer.size(); }

 private:
  // The length of the complete image at the start of m_buffer, 0 when it
  // is not complete yet, -1 when the bytes are not an image.
  int64_t complete_length() const;

  BatchFormat m_format;
  size_t m_raw_size;
  std::string m_buffer;
};

}  // namespace frameserve::media
