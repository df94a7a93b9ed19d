#include "faces/blur_measure.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/text.hpp"
#include "media/ffmpeg_pieces.hpp"
#include "media/frame_seeker.hpp"

namespace frameserve::faces {

process::Command build_blur_command(const media::MediaFile& file, const std::vector<FaceCandidate>& candidates) {
  const media::FrameIndex& index = *file.index;
  // keyframe -> candidate indices, so each group is decoded once.
  std::map<int64_t, std::vector<size_t>> groups;
  for (size_t i = 0; i < candidates.size(); ++i) {
    groups[media::plan_seek(file, candidates[i].frame_number).keyframe].push_back(i);
  }
  media::ArgList args = media::quiet_prefix();
  std::string graph;
  std::string crops;
  int input = 0;
  for (const auto& [keyframe, members] : groups) {
    media::SeekPlan plan = media::plan_seek(file, candidates[members.front()].frame_number);
    int64_t last = 0;
    for (size_t i : members) last = std::max(last, candidates[i].frame_number);
    // Read no further than the group's last candidate (plus a margin).
    int64_t span_ticks = index.end_pts(last) - index.pts(plan.keyframe);
    int64_t span_us = media::ticks_to_us_floor(span_ticks, index.time_base()) + 500000;
    media::InputOptions bounded;
    bounded.read_us = span_us;
    media::append_seek_input(args, file, plan, bounded);
    std::string source = "[" + std::to_string(input) + ":V:0]";
    if (members.size() > 1) {
      graph += source + "split=" + std::to_string(members.size());
      for (size_t i : members) graph += "[s" + std::to_string(i) + "]";
      graph += ";";
    }
    for (size_t i : members) {
      const FaceCandidate& c = candidates[i];
      std::string in = members.size() > 1 ? "[s" + std::to_string(i) + "]" : source;
      graph += in + media::exact_frame_select(index, c.frame_number) + "," +
               media::crop_filter(media::CropRect{c.x, c.y, c.width, c.height}) + "," +
               media::scale_filter(k_blur_side, k_blur_side) + ",setpts=" + std::to_string(i) + "/TB[c" +
               std::to_string(i) + "];";
      crops += "[c" + std::to_string(i) + "]";
    }
    ++input;
  }
  graph += crops + "interleave=nb_inputs=" + std::to_string(candidates.size()) +
           ",blurdetect,metadata=mode=print:key=lavfi.blur:file='pipe\\:1'[out]";
  media::append_args(args, {"-filter_complex", graph, "-map", "[out]", "-f", "null", "-"});
  return {process::Tool::ffmpeg, std::move(args)};
}

std::vector<std::optional<double>> parse_blur_output(std::string_view text, size_t count) {
  std::vector<std::optional<double>> values(count);
  // The candidate the following "lavfi.blur=" line belongs to (-1: none).
  int64_t current = -1;
  for (std::string_view line : split(text, '\n')) {
    line = trim(line);
    if (line.rfind("frame:", 0) == 0) {
      size_t at = line.find("pts_time:");
      current = -1;
      if (at != std::string_view::npos) {
        auto t = parse_double(trim(line.substr(at + 9)));
        if (t && *t >= 0) current = std::llround(*t);
      }
    } else if (line.rfind("lavfi.blur=", 0) == 0 && current >= 0 && static_cast<size_t>(current) < count) {
      auto v = parse_double(line.substr(11));  // "nan" does not parse: stays nullopt
      if (v) values[static_cast<size_t>(current)] = *v;
    }
  }
  return values;
}

Result<std::vector<std::optional<double>>> measure_blur(const process::JobRunner& runner, const media::MediaFile& file,
                                                        const std::vector<FaceCandidate>& candidates) {
  if (candidates.empty()) return std::vector<std::optional<double>>();
  auto output = runner.run_capture(build_blur_command(file, candidates), 1 << 20);
  if (!output) return output.error();
  return parse_blur_output(output.value(), candidates.size());
}

std::vector<size_t> rank_sharpest(const std::vector<FaceCandidate>& candidates,
                                  const std::vector<std::optional<double>>& blur) {
  std::vector<size_t> order(candidates.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto& ba = blur[a];
    const auto& bb = blur[b];
    if (ba.has_value() != bb.has_value()) return ba.has_value();
    if (ba && bb && *ba != *bb) return *ba < *bb;
    double qa = quality_score(candidates[a]);
    double qb = quality_score(candidates[b]);
    if (qa != qb) return qa > qb;
    return candidates[a].frame_number < candidates[b].frame_number;
  });
  return order;
}

SelectedFace pick_sharpest(const std::vector<FaceCandidate>& candidates,
                           const std::vector<std::optional<double>>& blur) {
  std::vector<size_t> order = rank_sharpest(candidates, blur);
  SelectedFace selected;
  selected.face = candidates[order.front()];
  selected.blur_score = blur[order.front()];
  selected.candidates = static_cast<int>(candidates.size());
  return selected;
}

}  // namespace frameserve::faces
