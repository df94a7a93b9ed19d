// Boxes and labels legible on any picture. The criterion, in luma (what
// survives chroma subsampling and what eyes resolve best): across the
// stroke of a box — from its outer edge to its inner edge — at every
// position along its whole perimeter, some pixel differs from a uniform
// background by at least k_visible luma levels, whatever the background;
// and on a background of the box's own colour, where the stroke itself is
// invisible, every pixel of its contrasting edges differs by k_own_colour.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "db/detection_store.hpp"
#include "overlay/detection_painter.hpp"
#include "overlay/label_drawing.hpp"
#include "overlay/yuv_canvas.hpp"
#include "support/media_checks.hpp"
#include "support/skip_or_fail.hpp"
#include "support/test_env.hpp"

using namespace frameserve;
using namespace frameserve::overlay;

namespace {

constexpr int k_visible = 50;
constexpr int k_own_colour = 100;
constexpr int k_w = 160;
constexpr int k_h = 120;

struct Box {
  int x;
  int y;
  int w;
  int h;
  int t;
};

// The twelve trace colours and the grey of a dimmed trace.
std::vector<YuvColor> box_colors() {
  std::vector<YuvColor> colors;
  for (int trace = 0; trace < 12; ++trace) colors.push_back(trace_color(trace));
  colors.push_back(yuv_from_rgb(128, 128, 128));
  return colors;
}

// `luma(x, y)` of a drawn frame.
template <typename Luma>
int weakest_cross_section(const Box& b, int background, Luma luma) {
  int e = edge_width(b.t);
  auto strongest = [&](int x0, int y0, int dx, int dy, int length) {
    int best = 0;
    for (int k = 0; k < length; ++k) best = std::max(best, std::abs(luma(x0 + k * dx, y0 + k * dy) - background));
    return best;
  };
  int across = b.t + 2 * e;
  int weakest = 255;
  for (int x = b.x; x < b.x + b.w; ++x) {
    weakest = std::min(weakest, strongest(x, b.y - e, 0, 1, across));              // top
    weakest = std::min(weakest, strongest(x, b.y + b.h - b.t - e, 0, 1, across));  // bottom
  }
  for (int y = b.y; y < b.y + b.h; ++y) {
    weakest = std::min(weakest, strongest(b.x - e, y, 1, 0, across));              // left
    weakest = std::min(weakest, strongest(b.x + b.w - b.t - e, y, 1, 0, across));  // right
  }
  return weakest;
}

struct Frame {
  std::vector<uint8_t> data = std::vector<uint8_t>(i420_frame_size(k_w, k_h));
  YuvCanvas canvas() { return YuvCanvas(data.data(), k_w, k_h); }
  int luma(int x, int y) const { return data[static_cast<size_t>(y) * k_w + x]; }
};

}  // namespace

TEST_CASE("every box stays visible on every uniform background, its own colour included") {
  const Box boxes[] = {{20, 16, 60, 50, 1}, {21, 17, 61, 51, 2}, {20, 16, 80, 70, 3}, {31, 25, 41, 33, 4}};
  int judged = 0;
  for (const YuvColor& color : box_colors()) {
    std::vector<YuvColor> backgrounds = {color};
    for (int y = 16; y <= 235; y += 4) backgrounds.push_back(YuvColor{static_cast<uint8_t>(y), 128, 128});
    for (const YuvColor& other : box_colors()) backgrounds.push_back(other);
    for (const Box& b : boxes) {
      for (const YuvColor& background : backgrounds) {
        CAPTURE(static_cast<int>(color.y));
        CAPTURE(static_cast<int>(background.y));
        CAPTURE(b.t);
        Frame frame;
        YuvCanvas canvas = frame.canvas();
        canvas.fill_rect(0, 0, k_w, k_h, background);
        draw_box(canvas, b.x, b.y, b.w, b.h, b.t, color);
        auto luma = [&](int x, int y) { return frame.luma(x, y); };
        CHECK(weakest_cross_section(b, background.y, luma) >= k_visible);
        ++judged;
      }
    }
    // On its own colour: the whole outer and inner edge rings stand out.
    Frame frame;
    YuvCanvas canvas = frame.canvas();
    canvas.fill_rect(0, 0, k_w, k_h, color);
    const Box& b = boxes[2];
    draw_box(canvas, b.x, b.y, b.w, b.h, b.t, color);
    int e = edge_width(b.t);
    int weak = 0;
    for (int y = b.y - e; y < b.y + b.h + e; ++y) {
      for (int x = b.x - e; x < b.x + b.w + e; ++x) {
        bool outer = x < b.x || x >= b.x + b.w || y < b.y || y >= b.y + b.h;
        bool inner = !outer && (x >= b.x + b.t && x < b.x + b.w - b.t && y >= b.y + b.t && y < b.y + b.h - b.t) &&
                     (x < b.x + b.t + e || x >= b.x + b.w - b.t - e || y < b.y + b.t + e || y >= b.y + b.h - b.t - e);
        if ((outer || inner) && std::abs(frame.luma(x, y) - color.y) < k_own_colour) ++weak;
      }
    }
    CHECK(weak == 0);
  }
  MESSAGE(judged << " box/background pairs judged");
}

TEST_CASE("a label's plate is edged and its ink contrasts, on a background of the plate's colour") {
  for (const YuvColor& color : box_colors()) {
    CAPTURE(static_cast<int>(color.y));
    for (const char* text : {"Audrey Hepburn #920 0.83", "Zo\xc3\xab \xc3\x9cnsal \xe5\xbc\xa0\xe4\xbc\x9f #6 0.91"}) {
      for (int scale : {1, 2}) {
        Frame frame;
        YuvCanvas canvas = frame.canvas();
        canvas.fill_rect(0, 0, k_w, k_h, color);
        draw_label(canvas, 10, 10, text, scale, color);
        // Where draw_label puts it: moved left (to an even column) to fit.
        int x0 = std::clamp(10, 0, std::max(0, k_w - label_width(text, scale))) & ~1;
        int w = std::min(label_width(text, scale), k_w - x0);
        int h = label_height(text, scale);
        int weak_edge = 0;
        int ink = 0;
        for (int x = x0; x < x0 + w; ++x) {
          weak_edge += std::abs(frame.luma(x, 10) - color.y) < k_own_colour;
          weak_edge += std::abs(frame.luma(x, 10 + h - 1) - color.y) < k_own_colour;
        }
        for (int y = 10; y < 10 + h; ++y) weak_edge += std::abs(frame.luma(x0, y) - color.y) < k_own_colour;
        for (int y = 10; y < 10 + h; ++y) {
          for (int x = x0; x < x0 + w; ++x) {
            int d = std::abs(frame.luma(x, y) - color.y);
            if (d != 0) {
              CHECK(d >= k_own_colour);
              ++ink;
            }
          }
        }
        CHECK(weak_edge == 0);
        CHECK(ink > 100);
      }
    }
  }
}

TEST_CASE("the edges survive H.264 encoding at the overlay's settings") {
  // A box on a background of its own colour, encoded as the overlay encoder
  // does (libx264, yuv420p, crf 23) and decoded again.
  const YuvColor color = trace_color(3);  // the brightest: yellow
  const Box b{41, 31, 70, 56, 2};
  std::vector<uint8_t> frame(i420_frame_size(k_w, k_h));
  YuvCanvas canvas(frame.data(), k_w, k_h);
  canvas.fill_rect(0, 0, k_w, k_h, color);
  draw_box(canvas, b.x, b.y, b.w, b.h, b.t, color);
  std::string raw;
  for (int i = 0; i < 3; ++i) raw.append(reinterpret_cast<const char*>(frame.data()), frame.size());
  testing::CommandResult encoded = testing::run_command({testing::ffmpeg_path(),
                                                         "-v",
                                                         "error",
                                                         "-f",
                                                         "rawvideo",
                                                         "-pix_fmt",
                                                         "yuv420p",
                                                         "-s",
                                                         std::to_string(k_w) + "x" + std::to_string(k_h),
                                                         "-i",
                                                         "pipe:0",
                                                         "-c:v",
                                                         "libx264",
                                                         "-preset",
                                                         "veryfast",
                                                         "-crf",
                                                         "23",
                                                         "-threads",
                                                         "1",
                                                         "-pix_fmt",
                                                         "yuv420p",
                                                         "-f",
                                                         "h264",
                                                         "pipe:1"},
                                                        raw);
  if (encoded.exit_code != 0 || encoded.out.empty()) {
    testing::skip_or_fail("ffmpeg could not encode with libx264 (exit " + std::to_string(encoded.exit_code) +
                          "): " + encoded.err);
    return;
  }
  std::vector<std::string> frames = testing::decode_stream_frames(encoded.out, k_w, k_h, "yuv444p");
  REQUIRE(frames.size() == 3);
  const std::string& decoded = frames[0];
  auto luma = [&](int x, int y) { return static_cast<uint8_t>(decoded[static_cast<size_t>(y) * k_w + x]); };
  int weakest = weakest_cross_section(b, color.y, luma);
  MESSAGE("weakest cross-section after encoding: " << weakest << " luma levels");
  CHECK(weakest >= k_visible);
}
