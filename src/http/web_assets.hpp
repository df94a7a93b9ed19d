// The viewer's files (web/viewer/* and hls.js), embedded in the binary at
// build time by scripts/embed_web.sh, so that frameserve serves its browser
// page with no Node, CDN or file lookup at run time.
#pragma once

#include <string_view>
#include <vector>

namespace frameserve::http {

struct WebAsset {
  std::string_view name;          // "viewer.js": served as /ui/viewer.js
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // strong, quoted: a hash of the bytes
  std::string_view body;
};

// Every embedded file (generated table, build/gen/web_assets.cpp).
const std::vector<WebAsset>& embedded_web_assets();

// The embedded file called `name`, or nullptr when there is none.
const WebAsset* find_web_asset(std::string_view name);

}  // namespace frameserve::http
