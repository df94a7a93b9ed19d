// Parsers for the two import formats. Pure functions: one line in, one
// record (or a message saying what is wrong with the line) out.
//
// jsonl — one JSON object per line, with the API's field names:
//   {"frame_number":38199,"trace_id":920,"bbox":{"x":122,"y":339,"width":176,
//    "height":176},"confidence":0.832,"label":"face",
//    "identity_uuid":"…","identity_name":"Audrey Hepburn"}
//   label, identity_uuid and identity_name are optional; identity_name needs
//   identity_uuid. Box values may be fractional (rounded to whole pixels).
//   Other members are ignored; arrays and objects may nest at most
//   k_max_json_depth levels (common/json_parse.hpp), checked before parsing.
//
// mot — MOTChallenge CSV: frame,id,bb_left,bb_top,bb_width,bb_height,conf,x,y,z
//   (10 columns) or the 9 of ground-truth files, all numeric; any other count
//   is an error. 1-based frames (converted to zero-based). conf = -1 ("not a
//   detection score", as in ground-truth files) is stored as 1.0.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "import/detection_record.hpp"

namespace frameserve::import {

enum class ImportFormat { jsonl, mot };

std::optional<ImportFormat> parse_import_format(std::string_view name);

// Returns nullopt for a blank line (or a MOT comment line starting with '#').
// Errors: `invalid_argument` whose message names the field and the rule.
Result<std::optional<DetectionRecord>> parse_jsonl_line(std::string_view line);
// `frame_base` is what the file's first frame is called: 1 (MOTChallenge's
// own convention) or 0 (trackers that write zero-based frames).
Result<std::optional<DetectionRecord>> parse_mot_line(std::string_view line, int frame_base = 1);

}  // namespace frameserve::import
