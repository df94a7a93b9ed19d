// DetectionPainter: boxes and labels of the detections on each frame.
//
// Every trace has its own stable colour. A box is outlined exactly along
// its bbox edges; its label — the identity's name when known, else the
// trace's label, then "#trace_id" and the confidence — sits on a plate of
// the trace's colour above it (below when there is no room), in the 5x7
// font or, for names in other scripts, GNU Unifont (overlay/text_layout.hpp).
// With highlighted traces (the trace video: one; a person's scene video:
// the person's), those are drawn thick and labelled and every other trace is
// dimmed: a thin grey outline, no label.
//
// Legible on any picture: every stroke and plate is edged, on both sides,
// with a neutral colour at the far end of the luma range from its own
// (overlay/label_drawing.hpp), so a box on a background of its own colour still shows
// its edges, and on any uniform background some part of the box differs
// from it by at least about 50 luma levels.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "db/detection_store.hpp"
#include "overlay/detection_feed.hpp"
#include "overlay/frame_painter.hpp"

namespace frameserve::overlay {

class DetectionPainter : public FramePainter {
 public:
  DetectionPainter(DetectionFeed feed, std::unordered_map<int64_t, db::TraceLabel> labels,
                   std::vector<int64_t> highlight_traces, int frame_height);

  Status paint(int64_t frame, YuvCanvas& canvas) override;

 private:
  DetectionFeed m_feed;
  std::unordered_map<int64_t, db::TraceLabel> m_labels;
  std::vector<int64_t> m_highlight;  // sorted; empty: none
  int m_scale;                       // font pixels per glyph pixel
  int m_thickness;                   // box outline, pixels
};

}  // namespace frameserve::overlay
