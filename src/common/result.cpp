#include "common/result.hpp"

namespace frameserve {

int http_status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return 400;
    case ErrorKind::unauthorized: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::gone: return 410;
    case ErrorKind::payload_too_large: return 413;
    case ErrorKind::range_not_satisfiable: return 416;
    case ErrorKind::unprocessable: return 422;
    case ErrorKind::not_implemented: return 501;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::tool_failed: return 500;
    case ErrorKind::internal: return 500;
  }
  return 500;
}

int exit_code_for(ErrorKind kind) {
  // 1 is left for "unexpected"; 2 is CLI11's usage error.
  switch (kind) {
    case ErrorKind::invalid_argument: return 3;
    case ErrorKind::unauthorized:
    case ErrorKind::forbidden: return 4;
    case ErrorKind::not_found: return 5;
    case ErrorKind::conflict: return 6;
    case ErrorKind::gone: return 10;
    case ErrorKind::payload_too_large:
    case ErrorKind::range_not_satisfiable: return 3;
    case ErrorKind::not_implemented: return 7;
    case ErrorKind::unavailable: return 8;
    case ErrorKind::tool_failed: return 9;
    case ErrorKind::unprocessable: return 11;
    case ErrorKind::internal: return 1;
  }
  return 1;
}

}  // namespace frameserve
