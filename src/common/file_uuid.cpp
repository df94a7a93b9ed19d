#include "common/file_uuid.hpp"

#include <string>

#include "common/text.hpp"

namespace frameserve {

Status check_file_uuid(std::string_view text, std::string_view what) {
  if (is_file_uuid(text)) return Status();
  return invalid_argument("bad_file_uuid", std::string(what) + " " + quote_for_message(text) +
                                               " is not a file_uuid: expected 32 lowercase hex digits "
                                               "(e.g. aeed71342a899fe4b4c57b7d41bcb692)");
}

}  // namespace frameserve
