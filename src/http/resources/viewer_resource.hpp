// The browser viewer: GET / for a browser (Accept: text/html) and its
// files under GET /ui/NAME. No authentication: the page holds no data; it
// asks for the caller's key and then uses the API like any client.
#pragma once

#include "http/request_context.hpp"

namespace frameserve::http {

// True when the client prefers a page to JSON: its Accept names text/html.
// A missing Accept or */* keeps the JSON pointer of get_root.
bool wants_html(const httplib::Request& req);

// The viewer's index.html with its Content-Security-Policy. Never fails.
Status get_viewer_page(RequestContext& ctx);

// /ui/NAME: one embedded file (304 on a matching If-None-Match); 404
// naming the files that exist when there is no such file.
Status get_viewer_asset(RequestContext& ctx);

}  // namespace frameserve::http
