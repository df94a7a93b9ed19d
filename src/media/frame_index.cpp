#include "media/frame_index.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <unordered_map>

namespace frameserve::media {

const char* indexing_name(Indexing indexing) {
  return indexing == Indexing::decode_order ? "decode_order" : "timestamps";
}

Result<FrameIndex> FrameIndex::from_packets(const std::vector<PacketInfo>& decode_order, Rational time_base) {
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
    key.pos = packet.pos;
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

bool FrameIndex::needs_decode_pass(const std::vector<PacketInfo>& decode_order, bool reorders) {
  size_t first_key = 0;
  while (first_key < decode_order.size() && !decode_order[first_key].keyframe) ++first_key;
  std::vector<int64_t> shown;
  shown.reserve(decode_order.size());
  for (size_t i = first_key; i < decode_order.size(); ++i) {
    if (decode_order[i].discard) continue;
    if (!decode_order[i].has_pts) return true;
    shown.push_back(decode_order[i].pts);
  }
  std::sort(shown.begin(), shown.end());
  if (std::adjacent_find(shown.begin(), shown.end()) != shown.end()) return true;
  // A codec that reorders, with no composition offsets at all (a camera MP4
  // without ctts): the decoder still reorders, so sorted pts are not the
  // order frames come out in.
  if (!reorders || decode_order.empty()) return false;
  return std::all_of(decode_order.begin(), decode_order.end(),
                     [](const PacketInfo& p) { return p.has_pts && p.has_dts && p.pts == p.dts; });
}

bool FrameIndex::timestamps_match_decoder(const std::vector<PacketInfo>& decode_order,
                                          const std::vector<DecodedFrame>& output_order) {
  size_t first_key = 0;
  while (first_key < decode_order.size() && !decode_order[first_key].keyframe) ++first_key;
  std::vector<const PacketInfo*> shown;
  for (size_t i = first_key; i < decode_order.size(); ++i) {
    const PacketInfo& p = decode_order[i];
    if (p.discard) continue;
    if (!p.has_pts || p.pos < 0) return false;
    shown.push_back(&p);
  }
  if (shown.size() != output_order.size()) return false;
  std::stable_sort(shown.begin(), shown.end(),
                   [](const PacketInfo* a, const PacketInfo* b) { return a->pts < b->pts; });
  for (size_t i = 0; i < shown.size(); ++i) {
    if (shown[i]->pos != output_order[i].pos) return false;
  }
  return true;
}

Result<FrameIndex> FrameIndex::from_decoded_frames(const std::vector<PacketInfo>& decode_order,
                                                   const std::vector<DecodedFrame>& output_order, Rational time_base,
                                                   Rational fps, bool byte_seek) {
  if (!time_base.valid()) return invalid_argument("bad_time_base", "the video stream has no valid time base");
  if (output_order.empty()) return invalid_argument("no_video_frames", "the decoder output no video frames");
  FrameIndex index;
  index.m_indexing = Indexing::decode_order;
  index.m_byte_seek = byte_seek;
  index.m_time_base = time_base;
  index.m_pos.reserve(output_order.size());
  for (const DecodedFrame& f : output_order) index.m_pos.push_back(f.pos);

  // Presentation times: the decoder's where it gives one to every frame and
  // they increase, else from the frame rate (raw streams have no times; AVI
  // and program streams give some frames none).
  bool real_times = true;
  for (size_t n = 0; n < output_order.size() && real_times; ++n) {
    real_times = output_order[n].has_timestamp && (n == 0 || output_order[n].timestamp > output_order[n - 1].timestamp);
  }
  index.m_pts.reserve(output_order.size());
  if (real_times) {
    for (const DecodedFrame& f : output_order) index.m_pts.push_back(f.timestamp);
  } else {
    if (!fps.valid()) fps = Rational{25, 1};
    // Ticks per frame = (1 / fps) / time_base.
    long double ticks_per_frame =
        static_cast<long double>(fps.den) * time_base.den / (static_cast<long double>(fps.num) * time_base.num);
    int64_t base = output_order[0].has_timestamp ? output_order[0].timestamp : 0;
    int64_t previous = 0;
    for (size_t n = 0; n < output_order.size(); ++n) {
      int64_t t = base + static_cast<int64_t>(std::llround(ticks_per_frame * static_cast<long double>(n)));
      if (n > 0 && t <= previous) t = previous + 1;  // a time base coarser than a frame
      index.m_pts.push_back(t);
      previous = t;
    }
  }

  // The frame each packet decoded to (-1: none, e.g. hidden by an edit list
  // or undecodable), and for hidden keyframes the first frame shown among
  // the packets decoded at or after them.
  std::unordered_map<int64_t, int64_t> frame_at_pos;
  frame_at_pos.reserve(output_order.size() * 2);
  for (size_t n = 0; n < output_order.size(); ++n) frame_at_pos.emplace(output_order[n].pos, static_cast<int64_t>(n));
  std::vector<int64_t> packet_frame(decode_order.size(), -1);
  for (size_t i = 0; i < decode_order.size(); ++i) {
    auto it = decode_order[i].pos < 0 ? frame_at_pos.end() : frame_at_pos.find(decode_order[i].pos);
    if (it != frame_at_pos.end()) packet_frame[i] = it->second;
  }
  std::vector<int64_t> first_shown_from(decode_order.size() + 1, INT64_MAX);
  for (size_t i = decode_order.size(); i-- > 0;) {
    first_shown_from[i] = first_shown_from[i + 1];
    if (packet_frame[i] >= 0) first_shown_from[i] = std::min(first_shown_from[i], packet_frame[i]);
  }
  for (size_t i = 0; i < decode_order.size(); ++i) {
    const PacketInfo& packet = decode_order[i];
    if (!packet.keyframe || first_shown_from[i] == INT64_MAX) continue;
    // A keyframe whose frame cannot be told (no position, or none decoded
    // from it) is no place to start; the first one is, hidden or not (an
    // edit list's lead-in), as the start of the file.
    if (packet_frame[i] < 0 && !index.m_keyframes.empty()) continue;
    Keyframe key;
    key.frame = packet_frame[i] >= 0 ? packet_frame[i] : first_shown_from[i];
    key.pos = packet.pos;
    key.seekable_by_time = packet.has_pts || packet.has_dts;
    key.pts = packet.has_pts ? packet.pts : packet.dts;
    key.dts = packet.has_dts ? packet.dts : key.pts;
    for (size_t j = i + 1; j < decode_order.size() && !decode_order[j].keyframe; ++j) {
      // Shown before the keyframe: by its frame, or where it has no
      // position by its pts.
      if ((packet_frame[j] >= 0 && packet_frame[j] < key.frame) ||
          (packet_frame[j] < 0 && packet.has_pts && decode_order[j].has_pts && decode_order[j].pts < packet.pts)) {
        key.open_gop = true;
        break;
      }
    }
    index.m_keyframes.push_back(key);
  }
  if (index.m_keyframes.empty()) {
    return invalid_argument("no_keyframes", "no decoded frame comes from a keyframe of the video stream");
  }
  std::stable_sort(index.m_keyframes.begin(), index.m_keyframes.end(),
                   [](const Keyframe& a, const Keyframe& b) { return a.frame < b.frame; });
  return index;
}

FrameIndex::Locator FrameIndex::locate(int64_t frame) const {
  Locator locator;
  const int64_t earliest = decode_start(frame).frame;
  for (int64_t f = frame; f >= 0 && f >= earliest; --f) {
    if (pos(f) < 0) continue;
    locator.anchor_pos = pos(f);
    locator.anchor_ordinal = pos_ordinal(f);
    locator.offset = frame - f;
    return locator;
  }
  locator.from_start = true;
  return locator;
}

int64_t FrameIndex::position_below(int64_t target) const {
  int64_t best = -1;
  for (int64_t p : m_pos) {
    if (p < target && p > best) best = p;
  }
  return best;
}

int64_t FrameIndex::pos_ordinal(int64_t frame) const {
  if (m_pos.empty()) return 0;
  const int64_t p = pos(frame);
  return std::count(m_pos.begin(), m_pos.begin() + frame, p);
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
  out.reserve(80 + m_pts.size() * 8 + m_pos.size() * 8 + m_keyframes.size() * 40);
  out += k_magic;
  put_i64(out, k_format_version);
  put_i64(out, m_time_base.num);
  put_i64(out, m_time_base.den);
  put_i64(out, frame_count());
  put_i64(out, static_cast<int64_t>(m_keyframes.size()));
  put_i64(out, m_indexing == Indexing::decode_order ? 1 : 0);
  put_i64(out, m_byte_seek ? 1 : 0);
  for (int64_t p : m_pts) put_i64(out, p);
  for (int64_t p : m_pos) put_i64(out, p);
  for (const Keyframe& k : m_keyframes) {
    put_i64(out, k.frame);
    put_i64(out, k.pts);
    put_i64(out, k.dts);
    put_i64(out, (k.open_gop ? 1 : 0) | (k.seekable_by_time ? 2 : 0));
    put_i64(out, k.pos);
  }
  return out;
}

Result<FrameIndex> FrameIndex::deserialize(std::string_view in) {
  auto corrupt = [] { return internal_error("the stored frame index is corrupt; re-register the file"); };
  if (in.substr(0, k_magic.size()) != k_magic) return corrupt();
  in.remove_prefix(k_magic.size());
  int64_t version = 0, num = 0, den = 0, frames = 0, keys = 0, indexing = 0, byte_seek = 0;
  if (!get_i64(in, version) || (version != 1 && version != k_format_version) || !get_i64(in, num) ||
      !get_i64(in, den) || !get_i64(in, frames) || !get_i64(in, keys) || frames <= 0 || keys <= 0) {
    return corrupt();
  }
  // Version 1: timestamps only, keyframes without a position.
  if (version >= 2 && (!get_i64(in, indexing) || !get_i64(in, byte_seek) || indexing < 0 || indexing > 1)) {
    return corrupt();
  }
  const uint64_t per_frame = indexing == 1 ? 16 : 8;
  const uint64_t per_key = version >= 2 ? 40 : 32;
  if (static_cast<uint64_t>(frames) > in.size() / per_frame ||
      static_cast<uint64_t>(in.size()) !=
          static_cast<uint64_t>(frames) * per_frame + static_cast<uint64_t>(keys) * per_key) {
    return corrupt();
  }
  FrameIndex index;
  index.m_indexing = indexing == 1 ? Indexing::decode_order : Indexing::timestamps;
  index.m_byte_seek = byte_seek != 0;
  index.m_time_base = Rational{num, den};
  index.m_pts.resize(static_cast<size_t>(frames));
  for (auto& p : index.m_pts) get_i64(in, p);
  if (indexing == 1) {
    index.m_pos.resize(static_cast<size_t>(frames));
    for (auto& p : index.m_pos) get_i64(in, p);
  }
  index.m_keyframes.resize(static_cast<size_t>(keys));
  for (auto& k : index.m_keyframes) {
    int64_t flags = 0;
    get_i64(in, k.frame);
    get_i64(in, k.pts);
    get_i64(in, k.dts);
    get_i64(in, flags);
    if (version >= 2) get_i64(in, k.pos);
    k.open_gop = (flags & 1) != 0;
    k.seekable_by_time = version < 2 || (flags & 2) != 0;
  }
  if (!index.m_time_base.valid()) return corrupt();
  return index;
}

}  // namespace frameserve::media
