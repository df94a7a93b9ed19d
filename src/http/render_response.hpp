// The one HTTP adapter of the render service: answers a RenderRequest for
// the request's file. Every stream endpoint (/clip, /video with its debug
// and HLS forms, /video/bbox, /trace/:id/video, all HLS playlists and
// segments) reads its query once into a RenderRequest
// (http/resources/render_query) and calls answer_render.
//
// In order: plan (render::RenderService::plan) → download name → stream
// gate (only when a child will start) → X-First-Frame / X-Last-Frame →
// Cache-Control from the plan's policy → ETag / 304 (playlists, cached
// segments, the file) → HEAD (what GET would send, without starting ffmpeg)
// → start → send (http::send_file for the file itself and cached segments —
// the reused-buffer path — or send_media_stream).
//
// Stateless; thread-safe.
#pragma once

#include "common/result.hpp"
#include "http/request_context.hpp"
#include "render/render_request.hpp"

namespace frameserve::http {

// Errors: those of RenderService::plan and open, `invalid_argument` for a
// bad download=, `unavailable` (503) when the stream gate is full.
Status answer_render(RequestContext& ctx, render::RenderRequest request);

}  // namespace frameserve::http
