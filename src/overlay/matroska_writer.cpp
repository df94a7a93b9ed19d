#include "overlay/matroska_writer.hpp"

namespace frameserve::overlay {

namespace {
// Element IDs carry their own length marker; written big-endian as is.
void put_id(std::string& out, uint32_t id) {
  if (id > 0xFFFFFF) out.push_back(static_cast<char>(id >> 24));
  if (id > 0xFFFF) out.push_back(static_cast<char>((id >> 16) & 0xFF));
  if (id > 0xFF) out.push_back(static_cast<char>((id >> 8) & 0xFF));
  out.push_back(static_cast<char>(id & 0xFF));
}

// Sizes as 8-byte EBML variable-size integers: simple, and always valid.
void put_size(std::string& out, uint64_t size) {
  out.push_back(static_cast<char>(0x01));
  for (int shift = 48; shift >= 0; shift -= 8) out.push_back(static_cast<char>((size >> shift) & 0xFF));
}

void put_unknown_size(std::string& out) {
  out.push_back(static_cast<char>(0x01));
  for (int i = 0; i < 7; ++i) out.push_back(static_cast<char>(0xFF));
}

std::string element(uint32_t id, const std::string& payload) {
  std::string out;
  put_id(out, id);
  put_size(out, payload.size());
  return out + payload;
}

std::string uint_element(uint32_t id, uint64_t value) {
  std::string payload;
  for (int shift = 56; shift >= 0; shift -= 8) payload.push_back(static_cast<char>((value >> shift) & 0xFF));
  return element(id, payload);
}

constexpr uint32_t k_ebml = 0x1A45DFA3;
constexpr uint32_t k_segment = 0x18538067;
constexpr uint32_t k_info = 0x1549A966;
constexpr uint32_t k_tracks = 0x1654AE6B;
constexpr uint32_t k_cluster = 0x1F43B675;
}  // namespace

std::string matroska_stream_header(int width, int height) {
  std::string ebml = uint_element(0x4286, 1) + uint_element(0x42F7, 1) + uint_element(0x42F2, 4) +
                     uint_element(0x42F3, 8) + element(0x4282, "matroska") + uint_element(0x4287, 4) +
                     uint_element(0x4285, 2);
  std::string info = uint_element(0x2AD7B1, 1000) + element(0x4D80, "frameserve") + element(0x5741, "frameserve");
  std::string video = uint_element(0xB0, static_cast<uint64_t>(width)) +
                      uint_element(0xBA, static_cast<uint64_t>(height)) + element(0x2EB524, "I420");
  std::string track = uint_element(0xD7, 1) + uint_element(0x73C5, 1) + uint_element(0x83, 1) +
                      element(0x86, "V_UNCOMPRESSED") + uint_element(0x9C, 0) + element(0xE0, video);
  std::string out = element(k_ebml, ebml);
  put_id(out, k_segment);
  put_unknown_size(out);
  out += element(k_info, info);
  out += element(k_tracks, element(0xAE, track));
  return out;
}

std::string matroska_frame_prefix(int64_t timestamp_us, uint64_t frame_size) {
  // SimpleBlock: track number 1 (vint 0x81), relative timestamp 0, keyframe.
  std::string block_head = {static_cast<char>(0x81), 0, 0, static_cast<char>(0x80)};
  std::string timestamp = uint_element(0xE7, static_cast<uint64_t>(timestamp_us < 0 ? 0 : timestamp_us));
  std::string block;
  put_id(block, 0xA3);
  put_size(block, block_head.size() + frame_size);
  block += block_head;
  std::string out;
  put_id(out, k_cluster);
  put_size(out, timestamp.size() + block.size() + frame_size);
  return out + timestamp + block;
}

}  // namespace frameserve::overlay
