// A frame batch: many exact frames of one file, each cropped (in source
// pixels) and optionally resized, encoded one by one — the media side of
// POST /api/v1/file/:file_uuid/frames and `frameserve frames`.
//
// How a batch is decoded (the design, measured and chosen):
//  - The requested frames are sorted and made unique, then cut into runs:
//    a new run (a new seek) wherever decoding on from the previous frame
//    would cost more than seeking to the next frame's keyframe (the
//    storyboard's rule, media/ffmpeg_argv). So each GOP a batch needs is
//    decoded once, whatever order the caller asked in; the answer is put
//    back into the caller's order afterwards (frames/frame_batch_stream).
//  - One decoder ffmpeg per segment of up to k_max_runs_per_segment runs: an
//    input per run (seek by the FrameIndex, as media/frame_seeker plans it),
//    `select` of exactly the run's frames before any conversion, the runs
//    concatenated, then converted to RGB (rgb24, or rgb48be for PNGs of deep
//    sources: ffmpeg's choice between the two, as its PNG encoder makes it)
//    and written as PAM images — a header with the size and depth, then the
//    bytes, so nothing is guessed.
//  - Crops differ from frame to frame (a detection's box moves), and
//    ffmpeg's crop filter fixes its size once. So frameserve crops the RGB
//    frames itself (media/batch_feeder): exactly the region of the frame
//    `select=eq(n\,N)` gives, at any offset, with no chroma rounding.
//  - The crops go as PPM images to an encoder ffmpeg that resizes (`size`,
//    `fit`) and encodes (PNG, JPEG, or raw RGB24). ffmpeg 5.1 keeps an
//    encoder's output at its first frame's size (measured: later PPMs of
//    another size came out scaled), so a segment also ends where the output
//    size changes (only crops by detection without `size` do that).
//
// Pure functions, thread-safe; commands cannot fail (items were validated).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "media/media_info.hpp"
#include "media/requests.hpp"
#include "process/command.hpp"

namespace frameserve::media {

enum class BatchFormat { png, jpeg, raw };
enum class Fit { stretch, pad, crop };

// "png" / "jpg" / "rgb": the file extension of a member.
const char* batch_extension(BatchFormat format);

struct BatchOutput {
  BatchFormat format = BatchFormat::png;
  int quality = 90;  // JPEG, 1..100
  // Output size; without it each image is its crop's size.
  std::optional<int64_t> width;
  std::optional<int64_t> height;
  Fit fit = Fit::stretch;
};

// One image of a batch: a frame and the region of it to keep.
struct BatchItem {
  int64_t frame = 0;
  CropRect crop;  // source pixels; the whole frame when nothing was asked
};

// The output size of `item`. Never fails.
std::pair<int64_t, int64_t> batch_output_size(const BatchItem& item, const BatchOutput& output);

// Errors (`invalid_argument`, message prefixed by `where`, e.g. "frames[3]"):
// "frame_out_of_range", "crop_out_of_bounds".
Status validate_batch_item(const BatchItem& item, const MediaInfo& info, const std::string& where);
// Errors (`invalid_argument`): "bad_size", "bad_quality".
Status validate_batch_output(const BatchOutput& output);

// The longest batch a request may ask for.
inline constexpr size_t k_max_batch_frames = 10000;
// Inputs one decoder opens at most (each holds a decoder and its GOP).
inline constexpr size_t k_max_runs_per_segment = 32;

// Ascending, unique frames cut into runs (each decoded from one seek).
std::vector<std::vector<int64_t>> plan_decode_runs(const MediaFile& file, const std::vector<int64_t>& frames);

// The decoder of `runs` (ascending, each ascending and unique): exactly
// their frames as RGB PAM images on stdout, in order. `deep_png`: the
// output is PNG, so 16-bit sources stay 16-bit (rgb48be).
process::Command build_batch_decode_command(const MediaFile& file, const std::vector<std::vector<int64_t>>& runs,
                                            bool deep_png);

// The encoder: PPM images on stdin, each resized by `output` and encoded
// as `output.format` (raw: packed RGB24) on stdout, one image each.
process::Command build_batch_encode_command(const BatchOutput& output);

}  // namespace frameserve::media
