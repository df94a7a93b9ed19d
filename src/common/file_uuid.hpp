// The one check of a file_uuid that a caller typed: every endpoint and
// command that takes one refuses a malformed one with the same code and
// the same words.
#pragma once

#include <string_view>

#include "common/result.hpp"

namespace frameserve {

// OK when `text` is a file_uuid (32 lowercase hex digits). Errors:
// `invalid_argument` "bad_file_uuid", naming `what` (e.g. "file_uuid",
// "--uuid") and quoting `text`.
Status check_file_uuid(std::string_view text, std::string_view what = "file_uuid");

}  // namespace frameserve
