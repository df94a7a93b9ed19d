#include "faces/trace_preview.hpp"

#include "render_cache/cached_bytes.hpp"

namespace frameserve::faces {

namespace {
// A WebP of 3 s at 1280 px is a few megabytes; a GIF can be ten times that.
constexpr size_t k_max_preview_bytes = 64u << 20;
}  // namespace

std::string trace_preview_key(const db::ResolvedFile& file, int64_t trace_id, const media::PreviewRequest& request) {
  // tp1: bump when the rendering of a preview changes.
  const media::MediaFile& media = *file.media;
  return "tp1-" + render_cache::key_safe(media.file_uuid.empty() ? media.path : media.file_uuid) + "-r" +
         std::to_string(file.registered_at_us) + "-m" + std::to_string(media.info.mtime_ns) + "-z" +
         std::to_string(media.info.size_bytes) + "-d" + std::to_string(file.detections_revision) + "-t" +
         std::to_string(trace_id) + "-w" + std::to_string(request.width) + "-f" + std::to_string(request.fps) + "." +
         media::preview_extension(request.format);
}

Result<TracePreview> TracePreviewService::preview(const db::ResolvedFile& file, int64_t trace_id,
                                                  const media::PreviewRequest& request) {
  const media::MediaFile& media = *file.media;
  auto summary = m_detections.trace_summary(media.file_uuid, trace_id);
  if (!summary) return summary.error();
  auto face = m_faces.representative_face(file, trace_id);
  if (!face) return face.error();

  media::PreviewTrace trace;
  trace.first_frame = summary->first_frame;
  trace.last_frame = summary->last_frame;
  trace.centre_frame = face->selected.face.frame_number;
  // Plan once without boxes to learn the window, then read the trace's
  // detections in that window only.
  auto window = media::plan_preview(media, request, trace);
  if (!window) return window.error();
  auto detections = m_detections.in_frames(media.file_uuid, window->range.first, window->range.last);
  if (!detections) return detections.error();
  for (const db::BoxDetection& d : detections.value()) {
    if (d.trace_id == trace_id) trace.boxes[d.frame_number] = media::CropRect{d.x, d.y, d.width, d.height};
  }
  auto plan = media::plan_preview(media, request, trace);
  if (!plan) return plan.error();

  auto rendered = render_cache::cached_render(
      m_cache, trace_preview_key(file, trace_id, request),
      std::chrono::duration_cast<std::chrono::milliseconds>(m_runner.timeouts().short_deadline),
      "preview of trace " + std::to_string(trace_id),
      [&] { return m_runner.run_capture(media::build_preview_command(media, plan.value()), k_max_preview_bytes); });
  if (!rendered) return rendered.error();
  TracePreview preview;
  preview.bytes = std::move(rendered->bytes);
  preview.content_type = media::preview_content_type(request.format);
  preview.plan = std::move(plan.value());
  preview.from_cache = rendered->from_cache;
  return preview;
}

}  // namespace frameserve::faces
