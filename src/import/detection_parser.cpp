#include "import/detection_parser.hpp"

#include <rapidjson/document.h>

#include <cmath>

#include "common/json_parse.hpp"
#include "common/text.hpp"

namespace frameserve::import {

std::optional<ImportFormat> parse_import_format(std::string_view name) {
  if (name == "jsonl") return ImportFormat::jsonl;
  if (name == "mot") return ImportFormat::mot;
  return std::nullopt;
}

namespace {
Error bad(const std::string& message) { return invalid_argument("bad_detection", message); }

// Whole numbers (also written as 12.0 or 1e3) within int64.
std::optional<int64_t> whole_number(const rapidjson::Value& v) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsNumber()) {
    double d = v.GetDouble();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

// Pixel coordinates: any finite number, rounded to the nearest pixel.
std::optional<int64_t> pixel(const rapidjson::Value& v) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsNumber()) {
    double d = v.GetDouble();
    if (std::isfinite(d) && std::fabs(d) < 1.0e9) return static_cast<int64_t>(std::llround(d));
  }
  return std::nullopt;
}

Result<std::string> optional_text(const rapidjson::Value& object, const char* name, bool& present) {
  present = false;
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return std::string();
  if (!it->value.IsString()) return bad(std::string(name) + " must be a string");
  present = true;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}
}  // namespace

Result<std::optional<DetectionRecord>> parse_jsonl_line(std::string_view line) {
  if (trim(line).empty()) return std::optional<DetectionRecord>();
  rapidjson::Document doc;
  switch (parse_json(line, doc)) {
    case JsonParse::ok: break;
    case JsonParse::too_deep: return bad(json_too_deep_message());
    case JsonParse::syntax_error: return bad("not valid JSON");
  }
  if (!doc.IsObject()) return bad("expected a JSON object");
  DetectionRecord r;

  auto frame = doc.FindMember("frame_number");
  if (frame == doc.MemberEnd()) return bad("frame_number is missing");
  auto frame_value = whole_number(frame->value);
  if (!frame_value || *frame_value < 0) return bad("frame_number must be a whole number >= 0");
  r.frame_number = *frame_value;

  auto trace = doc.FindMember("trace_id");
  if (trace == doc.MemberEnd()) return bad("trace_id is missing");
  auto trace_value = whole_number(trace->value);
  if (!trace_value || *trace_value < 0) return bad("trace_id must be a whole number >= 0");
  r.trace_id = *trace_value;

  auto bbox = doc.FindMember("bbox");
  if (bbox == doc.MemberEnd() || !bbox->value.IsObject()) {
    return bad("bbox must be an object {x, y, width, height}");
  }
  int64_t* targets[] = {&r.x, &r.y, &r.width, &r.height};
  const char* names[] = {"x", "y", "width", "height"};
  for (int i = 0; i < 4; ++i) {
    auto field = bbox->value.FindMember(names[i]);
    if (field == bbox->value.MemberEnd()) return bad(std::string("bbox.") + names[i] + " is missing");
    auto value = pixel(field->value);
    if (!value) return bad(std::string("bbox.") + names[i] + " must be a number");
    *targets[i] = *value;
  }

  auto confidence = doc.FindMember("confidence");
  if (confidence == doc.MemberEnd()) return bad("confidence is missing");
  if (!confidence->value.IsNumber()) return bad("confidence must be a number between 0 and 1");
  r.confidence = confidence->value.GetDouble();

  bool present = false;
  auto label = optional_text(doc, "label", present);
  if (!label) return label.error();
  if (present) r.label = label.value();
  auto uuid = optional_text(doc, "identity_uuid", present);
  if (!uuid) return uuid.error();
  if (present) {
    if (!is_identity_uuid(uuid.value())) {
      return bad("identity_uuid " + quote_for_message(uuid.value()) +
                 " is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    }
    r.identity_uuid = to_lower_ascii(uuid.value());
  }
  auto name = optional_text(doc, "identity_name", present);
  if (!name) return name.error();
  if (present) {
    if (!r.identity_uuid) return bad("identity_name needs identity_uuid");
    r.identity_name = name.value();
  }
  return std::optional<DetectionRecord>(std::move(r));
}

Result<std::optional<DetectionRecord>> parse_mot_line(std::string_view line, int frame_base) {
  std::string_view text = trim(line);
  if (text.empty() || text.front() == '#') return std::optional<DetectionRecord>();
  // MOTChallenge files have 10 columns (detections: ...,conf,x,y,z) or 9
  // (ground truth: ...,conf,class,visibility). Any other count means a
  // different format, a shifted column or a stray comma: guessing which
  // columns are which would import wrong boxes, so the line is refused.
  static constexpr const char* k_columns[] = {"frame",     "id",   "bb_left", "bb_top", "bb_width",
                                              "bb_height", "conf", "x",       "y",      "z"};
  std::vector<std::string_view> fields = split(text, ',');
  if (fields.size() != 9 && fields.size() != 10) {
    return bad(
        "expected 9 or 10 comma-separated numbers (frame,id,bb_left,bb_top,bb_width,bb_height,conf,x,y[,z]); got " +
        std::to_string(fields.size()) + " fields");
  }
  double values[10];
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string_view field = trim(fields[i]);
    auto v = parse_double(field);
    if (!v) {
      return bad("column " + std::to_string(i + 1) + " (" + k_columns[i] + ") " + quote_for_message(field) +
                 " is not a number");
    }
    values[i] = *v;
  }
  DetectionRecord r;
  // The upper bounds keep the conversions to integers defined; the
  // validator later checks the values against the video.
  if (values[0] != std::floor(values[0]) || values[0] < frame_base || values[0] > 9.0e15) {
    return bad(frame_base == 1 ? "column 1 (frame) must be a whole number >= 1 (MOT frames are 1-based)"
                               : "column 1 (frame) must be a whole number >= 0 (frames read as 0-based)");
  }
  if (values[1] != std::floor(values[1]) || values[1] < 0 || values[1] > 9.0e15) {
    return bad("column 2 (id) must be a whole number >= 0");
  }
  for (size_t i = 2; i < 6; ++i) {
    if (std::fabs(values[i]) >= 1.0e9) {
      return bad("column " + std::to_string(i + 1) + " (" + k_columns[i] + ") is far outside any picture");
    }
  }
  r.frame_number = static_cast<int64_t>(values[0]) - frame_base;
  r.trace_id = static_cast<int64_t>(values[1]);
  r.x = std::llround(values[2]);
  r.y = std::llround(values[3]);
  r.width = std::llround(values[4]);
  r.height = std::llround(values[5]);
  r.confidence = values[6] == -1 ? 1.0 : values[6];
  return std::optional<DetectionRecord>(std::move(r));
}

}  // namespace frameserve::import
