#include "media/frame_index.hpp"

#include <algorithm>

namespace frameserve::media {

Result<FrameIndex> FrameIndex::from_packets(const std::vector<PacketInfo>& decode_order,
                                            Rational time_base) {
  if (!time_base.valid()) return invalid_argument("bad_time_base", "the video stream has no valid time base");
  size_t first_key = 0;
  while (first_key < decode_order.size() && !decode_order[first_key].keyframe) ++first_key;
  if (decode_order.empty()) return invalid_argument("no_video_packets", "the file has no video frames");
  if (first_key == decode_order.size()) {
    return invalid_argument("no_keyframes", "the video stream has no keyframe");
  }

  FrameIndex index;
  index.m_time_base = time_base;
  index.m_pts.reserve(decode_order.size() - first_key);
  for (size_t i = first_key; i < decode_order.size(); ++i) {
    if (!decode_order[i].discard) index.m_pts.push_back(decode_order[i].pts);
  }
  if (index.m_pts.empty()) return invalid_argument("no_video_packets", "the file shows no video frames");
  std::sort(index.m_pts.begin(), index.m_pts.end());
  if (std::adjacent_find(index.m_pts.begin(), index.m_pts.end()) != index.m_pts.end()) {
    return invalid_argument("duplicate_timestamps",
                            "the video stream has frames with identical timestamps; "
                            "frame-exact access is not possible for this file");
  }

  // Keyframes, with their presentation index and whether their GOP is open.
  for (size_t i = first_key; i < decode_order.size(); ++i) {
    const PacketInfo& packet = decode_order[i];
    if (!packet.keyframe) continue;
    Keyframe key;
    key.pts = packet.pts;
    key.dts = packet.has_dts ? packet.dts : packet.pts;
    key.frame = std::lower_bound(index.m_pts.begin(), index.m_pts.end(), packet.pts) - index.m_pts.begin();
    for (size_t j = i + 1; j < decode_order.size() && !decode_order[j].keyframe; ++j) {
      if (decode_order[j].pts < packet.pts) {
        key.open_gop = true;
        break;
      }
    }
    index.m_keyframes.push_back(key);
  }
  // By presentation: a discarded keyframe shares its frame number with the
  // first shown frame after it, and sorts before any keyframe shown there.
  std::sort(index.m_keyframes.begin(), index.m_keyframes.end(), [](const Keyframe& a, const Keyframe& b) {
    return a.frame != b.frame ? a.frame < b.frame : a.pts < b.pts;
  });
  return index;
}

int64_t FrameIndex::end_pts(int64_t frame) const {
  if (frame + 1 < frame_count()) return pts(frame + 1);
  if (frame > 0) return pts(frame) + (pts(frame) - pts(frame - 1));
  return pts(frame) + 1;
}

int64_t FrameIndex::first_frame_at_or_after(int64_t target) const {
  return std::lower_bound(m_pts.begin(), m_pts.end(), target) - m_pts.begin();
}

const Keyframe& FrameIndex::decode_start(int64_t frame) const {
  // The last keyframe shown at or before the frame...
  auto after = std::upper_bound(m_keyframes.begin(), m_keyframes.end(), frame,
                                [](int64_t f, const Keyframe& k) { return f < k.frame; });
  size_t position = after == m_keyframes.begin() ? 0 : static_cast<size_t>(after - m_keyframes.begin()) - 1;
  // ...or the one before it when its GOP is open: frames decoded right after
  // an open-GOP keyframe may reference the previous GOP.
  if (m_keyframes[position].open_gop && position > 0) --position;
  return m_keyframes[position];
}

namespace {
void put_i64(std::string& out, int64_t value) {
  uint64_t v = static_cast<uint64_t>(value);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool get_i64(std::string_view& in, int64_t& value) {
  if (in.size() < 8) return false;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  value = static_cast<int64_t>(v);
  in.remove_prefix(8);
  return true;
}
constexpr std::string_view k_magic = "FSIX";
}  // namespace

std::string FrameIndex::serialize() const {
  std::string out;
  out.reserve(64 + m_pts.size() * 8 + m_keyframes.size() * 32);
  out += k_magic;
  put_i64(out, k_format_version);
  put_i64(out, m_time_base.num);
  put_i64(out, m_time_base.den);
  put_i64(out, frame_count());
  put_i64(out, static_cast<int64_t>(m_keyframes.size()));
  for (int64_t p : m_pts) put_i64(out, p);
  for (const Keyframe& k : m_keyframes) {
    put_i64(out, k.frame);
    put_i64(out, k.pts);
    put_i64(out, k.dts);
    put_i64(out, k.open_gop ? 1 : 0);
  }
  return out;
}

Result<FrameIndex> FrameIndex::deserialize(std::string_view in) {
  auto corrupt = [] { return internal_error("the stored frame index is corrupt; re-register the file"); };
  if (in.substr(0, k_magic.size()) != k_magic) return corrupt();
  in.remove_prefix(k_magic.size());
  int64_t version = 0, num = 0, den = 0, frames = 0, keys = 0;
  if (!get_i64(in, version) || version != k_format_version || !get_i64(in, num) || !get_i64(in, den) ||
      !get_i64(in, frames) || !get_i64(in, keys) || frames <= 0 || keys <= 0 ||
      static_cast<uint64_t>(in.size()) != static_cast<uint64_t>(frames) * 8 + static_cast<uint64_t>(keys) * 32) {
    return corrupt();
  }
  FrameIndex index;
  index.m_time_base = Rational{num, den};
  index.m_pts.resize(static_cast<size_t>(frames));
  for (auto& p : index.m_pts) get_i64(in, p);
  index.m_keyframes.resize(static_cast<size_t>(keys));
  for (auto& k : index.m_keyframes) {
    int64_t flags = 0;
    get_i64(in, k.frame);
    get_i64(in, k.pts);
    get_i64(in, k.dts);
    get_i64(in, flags);
    k.open_gop = flags != 0;
  }
  if (!index.m_time_base.valid()) return corrupt();
  return index;
}

}  // namespace frameserve::media
