#include "frames/frame_batch_plan.hpp"

#include <algorithm>
#include <cmath>

#include "common/json_parse.hpp"

namespace frameserve::frames {

namespace {
Error bad(const std::string& message) { return invalid_argument("bad_frames_request", message); }

Result<int64_t> whole_number(const rapidjson::Value& v, const std::string& name, int64_t low, int64_t high) {
  if (!v.IsInt64() || v.GetInt64() < low || v.GetInt64() > high) {
    return bad(name + " must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return v.GetInt64();
}
}  // namespace

Result<FramesRequest> parse_frames_request_json(std::string_view body) {
  rapidjson::Document doc;
  JsonParse parsed = parse_json(body, doc);
  if (parsed == JsonParse::too_deep) return invalid_argument("bad_json", json_too_deep_message());
  if (parsed != JsonParse::ok || !doc.IsObject()) {
    return invalid_argument("bad_json", "the body must be one JSON object, e.g. {\"frames\":[0,10,20]}");
  }
  static const char* k_members[] = {"frames", "trace_id", "identity_uuid", "step",   "crop",   "margin",
                                    "square", "size",     "fit",           "format", "quality"};
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    std::string name = it->name.GetString();
    if (std::find(std::begin(k_members), std::end(k_members), name) == std::end(k_members)) {
      return bad("unknown member \"" + name.substr(0, 40) +
                 "\"; valid: frames, trace_id, identity_uuid, step, crop, margin, square, size, fit, format, quality");
    }
  }
  FramesRequest r;
  if (doc.HasMember("frames")) {
    const auto& list = doc["frames"];
    if (!list.IsArray()) return bad("frames must be a list of frame numbers");
    if (list.Size() == 0) return bad("frames must not be empty");
    if (list.Size() > media::k_max_batch_frames) {
      return bad("frames holds " + std::to_string(list.Size()) + " items; at most " +
                 std::to_string(media::k_max_batch_frames) + " per request");
    }
    r.frames.emplace();
    r.frames->reserve(list.Size());
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      if (!list[i].IsInt64() || list[i].GetInt64() < 0) {
        return bad("frames[" + std::to_string(i) + "] must be a frame number (a whole number >= 0)");
      }
      r.frames->push_back(list[i].GetInt64());
    }
  }
  if (doc.HasMember("trace_id")) {
    auto id = whole_number(doc["trace_id"], "trace_id", 0, INT64_MAX);
    if (!id) return id.error();
    r.trace_id = id.value();
  }
  if (doc.HasMember("identity_uuid")) {
    if (!doc["identity_uuid"].IsString()) return bad("identity_uuid must be a string (a UUID)");
    r.identity_uuid = doc["identity_uuid"].GetString();
  }
  int selectors = (r.frames ? 1 : 0) + (r.identity_uuid ? 1 : 0) + (r.trace_id && !r.frames ? 1 : 0);
  if (r.identity_uuid && r.trace_id) selectors = 2;
  if (selectors != 1) {
    return bad(
        "give exactly one of frames (optionally with trace_id, to crop by its detections), trace_id or "
        "identity_uuid");
  }
  if (doc.HasMember("step")) {
    if (r.frames) return bad("step applies to trace_id or identity_uuid, not to a list of frames");
    auto step = whole_number(doc["step"], "step", 1, 1000000);
    if (!step) return step.error();
    r.step = step.value();
  }
  if (doc.HasMember("crop")) {
    const auto& crop = doc["crop"];
    if (crop.IsString() && std::string_view(crop.GetString()) == "detection") {
      r.crop = CropMode::detection;
    } else if (crop.IsObject()) {
      r.crop = CropMode::rect;
      int64_t values[4];
      const char* names[] = {"x", "y", "w", "h"};
      for (int i = 0; i < 4; ++i) {
        if (!crop.HasMember(names[i])) return bad("crop needs x, y, w and h (missing: " + std::string(names[i]) + ")");
        auto v = whole_number(crop[names[i]], std::string("crop.") + names[i], i < 2 ? 0 : 1, INT32_MAX);
        if (!v) return v.error();
        values[i] = v.value();
      }
      if (crop.MemberCount() != 4) return bad("crop has members other than x, y, w and h");
      r.rect = media::CropRect{values[0], values[1], values[2], values[3]};
    } else {
      return bad("crop must be \"detection\" or {\"x\":X,\"y\":Y,\"w\":W,\"h\":H}");
    }
  }
  if (r.crop == CropMode::detection && r.frames && !r.trace_id) {
    return bad("crop \"detection\" with a list of frames needs trace_id: whose detections to crop by");
  }
  if (doc.HasMember("margin")) {
    if (r.crop != CropMode::detection) return bad("margin applies to crop \"detection\" only");
    const auto& m = doc["margin"];
    if (!m.IsNumber() || !(m.GetDouble() >= 0) || m.GetDouble() > 10)
      return bad("margin must be a number from 0 to 10");
    r.margin = m.GetDouble();
  }
  if (doc.HasMember("square")) {
    if (!doc["square"].IsBool()) return bad("square must be true or false");
    if (r.crop != CropMode::detection) return bad("square applies to crop \"detection\" only");
    r.square = doc["square"].GetBool();
  }
  if (doc.HasMember("size")) {
    const auto& size = doc["size"];
    if (!size.IsArray() || size.Size() != 2) return bad("size must be [width, height], e.g. [112, 112]");
    for (rapidjson::SizeType i = 0; i < 2; ++i) {
      auto v = whole_number(size[i], i == 0 ? "size's width" : "size's height", 1, media::k_max_image_side);
      if (!v) return v.error();
      (i == 0 ? r.output.width : r.output.height) = v.value();
    }
  }
  if (doc.HasMember("fit")) {
    const auto& fit = doc["fit"];
    std::string_view value = fit.IsString() ? fit.GetString() : "";
    if (value == "stretch")
      r.output.fit = media::Fit::stretch;
    else if (value == "pad")
      r.output.fit = media::Fit::pad;
    else if (value == "crop")
      r.output.fit = media::Fit::crop;
    else
      return bad("fit must be \"stretch\", \"pad\" or \"crop\"");
    if (!r.output.width) return bad("fit applies with size only");
  }
  if (doc.HasMember("format")) {
    const auto& format = doc["format"];
    std::string_view value = format.IsString() ? format.GetString() : "";
    if (value == "png")
      r.output.format = media::BatchFormat::png;
    else if (value == "jpeg" || value == "jpg")
      r.output.format = media::BatchFormat::jpeg;
    else if (value == "raw")
      r.output.format = media::BatchFormat::raw;
    else
      return bad("format must be \"png\", \"jpeg\" or \"raw\"");
  }
  if (doc.HasMember("quality")) {
    if (r.output.format != media::BatchFormat::jpeg) return bad("quality applies to format \"jpeg\" only");
    auto q = whole_number(doc["quality"], "quality", 1, 100);
    if (!q) return q.error();
    r.output.quality = static_cast<int>(q.value());
  }
  return r;
}

media::CropRect detection_crop(const db::BoxDetection& box, double margin, bool square, int width, int height) {
  double w = box.width * (1 + margin);
  double h = box.height * (1 + margin);
  if (square) w = h = std::max(w, h);
  double cx = box.x + box.width / 2.0;
  double cy = box.y + box.height / 2.0;
  int64_t cw = std::max<int64_t>(1, std::min<int64_t>(std::llround(w), width));
  int64_t ch = std::max<int64_t>(1, std::min<int64_t>(std::llround(h), height));
  if (square) cw = ch = std::min(cw, ch);
  // Moved to stay inside the picture where it fits; never squeezed.
  int64_t x = std::clamp<int64_t>(std::llround(cx - cw / 2.0), 0, width - cw);
  int64_t y = std::clamp<int64_t>(std::llround(cy - ch / 2.0), 0, height - ch);
  return media::CropRect{x, y, cw, ch};
}

}  // namespace frameserve::frames
