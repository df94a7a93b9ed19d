// Small rendered images (storyboard sheets, trace previews) kept in the disk
// cache of rendered segments (hls::SegmentCache): its size bound, its keys
// as file names and its one-render rule for concurrent requests.
//
// The one place where whole-image renders speak to the segment cache's API,
// which is made for streams: a rendered image becomes a stream of one write
// for the cache's tee. Thread-safe (the cache is).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/result.hpp"
#include "hls/segment_cache.hpp"

namespace frameserve::render_cache {

struct CachedBytes {
  std::string bytes;
  bool from_cache = false;
};

// `text` (a file_uuid, or a path for the CLI's plain files) as part of a
// cache key: every character but [A-Za-z0-9] becomes '_'. Never fails.
std::string key_safe(const std::string& text);

// The bytes cached under `key` (a file name: [A-Za-z0-9_.-]), or `render`'s
// result, kept under `key` for next time. A request for a key another
// request is rendering waits up to `wait` for that render. Errors: those of
// `render`; `tool_failed` when it returned no bytes (`what` names the image
// in the message).
Result<CachedBytes> cached_render(hls::SegmentCache& cache, const std::string& key, std::chrono::milliseconds wait,
                                  const std::string& what, const std::function<Result<std::string>()>& render);

}  // namespace frameserve::render_cache
