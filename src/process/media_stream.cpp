#include "process/media_stream.hpp"

namespace frameserve::process {

std::string StreamOutcome::describe() const {
  switch (end) {
    case End::completed: return "completed";
    case End::client_gone: return "client went away";
    case End::deadline: return "deadline exceeded" + (detail.empty() ? "" : ": " + detail);
    case End::failed: return "failed: " + detail;
  }
  return "unknown";
}

}  // namespace frameserve::process
