// Parsing JSON that comes from outside the process: request bodies, import
// lines, ffprobe's description of a file someone gave us, values read back
// from the database.
//
// RapidJSON's default parser recurses once per nesting level: one import
// line holding 200,000 '[' overflowed the request thread's stack and killed
// the server (SIGSEGV) with every other client's stream. Here the nesting
// is measured first, in one loop, and refused beyond a bound; the parse
// itself then runs with kParseIterativeFlag (its own heap stack), so no
// input can deepen the call stack whatever the bound or the thread's stack
// size (the ASan build's frames are several times larger).
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace frameserve {

// Deepest nesting of arrays and objects accepted. What we read needs a few
// levels (a detection line 2, ffprobe's output 4); 64 leaves a client's own
// members (an "extra" of its tracker) plenty of room.
constexpr size_t k_max_json_depth = 64;

enum class JsonParse { ok, syntax_error, too_deep };

// Parses `text` into `doc`. Returns `too_deep` (without parsing) when arrays
// and objects nest more than `max_depth` levels, `syntax_error` for what is
// not one JSON value. Never recurses per level of the input.
JsonParse parse_json(std::string_view text, rapidjson::Document& doc, size_t max_depth = k_max_json_depth);

// The deepest nesting of arrays and objects in `text`, counted outside
// strings, stopping as soon as it exceeds `stop_above`. Malformed text gives
// some number (the parse refuses it anyway). Never fails.
size_t json_nesting_depth(std::string_view text, size_t stop_above = k_max_json_depth);

// The message for `too_deep`: what was wrong and what is accepted.
std::string json_too_deep_message(size_t max_depth = k_max_json_depth);

}  // namespace frameserve
