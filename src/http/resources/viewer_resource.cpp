#include "http/resources/viewer_resource.hpp"

#include "common/text.hpp"
#include "http/conditional.hpp"
#include "http/web_assets.hpp"

namespace frameserve::http {

namespace {

// The page loads only what frameserve serves. blob: for media is what
// Media Source Extensions (hls.js) play from; images may be blob: or data:
// only for a frame drawn into a canvas for a download. No inline script or
// style, no eval, no framing, no plugin.
constexpr const char* k_content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "media-src 'self' blob:; connect-src 'self'; worker-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Sends `asset`, or 304 when the client's copy is current. The files change
// only with the binary: browsers revalidate (no-cache) and get 304s.
void send_asset(RequestContext& ctx, const WebAsset& asset) {
  std::string etag(asset.etag);
  ctx.res.set_header("ETag", etag);
  ctx.res.set_header("Cache-Control", "no-cache");
  ctx.res.set_header("X-Content-Type-Options", "nosniff");
  // Media URLs carry access_token: never leak them in a Referer.
  ctx.res.set_header("Referrer-Policy", "no-referrer");
  std::string if_none_match = ctx.req.get_header_value("If-None-Match");
  if (ctx.req.has_header("If-None-Match") &&
      not_modified(std::string_view(if_none_match), std::nullopt, Validators{etag, ""})) {
    ctx.res.status = 304;
    return;
  }
  ctx.res.status = 200;
  ctx.res.set_content(std::string(asset.body), std::string(asset.content_type));
}

}  // namespace

bool wants_html(const httplib::Request& req) {
  return req.get_header_value("Accept").find("text/html") != std::string::npos;
}

Status get_viewer_page(RequestContext& ctx) {
  const WebAsset* page = find_web_asset("index.html");
  if (page == nullptr) return internal_error("this build has no viewer page (web/viewer/index.html)");
  ctx.res.set_header("Content-Security-Policy", k_content_security_policy);
  ctx.res.set_header("X-Frame-Options", "DENY");
  send_asset(ctx, *page);
  // Accept decides between the page and JSON: caches must keep both.
  ctx.res.set_header("Vary", "Accept");
  return Status();
}

Status get_viewer_asset(RequestContext& ctx) {
  // Open routes get no captures: the name is the path after /ui/.
  std::string name = ctx.req.path.size() > 4 ? ctx.req.path.substr(4) : "";
  const WebAsset* asset = find_web_asset(name);
  if (asset == nullptr || name == "index.html") {
    std::string names;
    for (const WebAsset& a : embedded_web_assets()) {
      if (a.name == "index.html") continue;
      names += (names.empty() ? "" : ", ") + std::string(a.name);
    }
    return not_found("asset_not_found",
                     "no viewer file " + quote_for_message(name) + " under /ui/; there are: " + names);
  }
  send_asset(ctx, *asset);
  return Status();
}

}  // namespace frameserve::http
