// The nginx configuration that puts nginx in front of frameserve: a pure
// function from a few options to the text of a complete nginx.conf that
// works as is with `nginx -p PREFIX -c FILE`, as root or not, and reads as
// an example to adapt. `frameserve nginx-config` prints it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace frameserve::app {

// The internal nginx location whole files are handed to with
// X-Accel-Redirect: PREFIX + the file's absolute path.
inline constexpr std::string_view k_accel_redirect_prefix = "/_frameserve_files";

struct NginxConfigOptions {
  std::string listen;                    // HOST:PORT nginx listens on
  std::vector<std::string> upstreams;    // HOST:PORT of each frameserve instance
  std::string prefix;                    // absolute directory, or empty: paths relative to `nginx -p`
  std::vector<std::string> media_roots;  // roots nginx may send files from; empty: any path
  int stream_timeout_secs = 6 * 3600;    // frameserve's --stream-timeout
  int write_timeout_secs = 120;          // frameserve's --write-timeout
};

// The nginx.conf text. Errors: `invalid_argument` naming the option for an
// address that is not HOST:PORT, no upstream, or a path that is not absolute
// or holds characters nginx's syntax would misread (spaces, quotes, ; { } $).
Result<std::string> render_nginx_config(const NginxConfigOptions& options);

}  // namespace frameserve::app
