#include "media/extraction.hpp"

#include "common/log.hpp"
#include "media/ffmpeg_argv.hpp"
#include "media/frame_seeker.hpp"

namespace frameserve::media {

namespace {
constexpr size_t k_max_image_bytes = 64u << 20;
}

Result<std::string> extract_frame(const process::JobRunner& runner, const MediaFile& file,
                                  const FrameRequest& request) {
  if (Status valid = validate_frame_request(request, file.info); !valid) return valid.error();
  auto slot = runner.acquire(process::JobClass::short_job);
  if (!slot) return slot.error();
  auto image = runner.run_capture_in_slot(build_thumbnail_command(file, request), k_max_image_bytes);
  if (image && image->empty()) {
    // ffmpeg decoded past the frame without meeting it: the demuxer's seek
    // overshot. Start two keyframes earlier (still far from the file start).
    log::warn("frame " + std::to_string(request.frame) + " of " + file.path +
              " was not reached from its keyframe; retrying from an earlier one");
    image = runner.run_capture_in_slot(build_thumbnail_command(file, request, 2), k_max_image_bytes);
  }
  if (image && image->empty()) {
    // Decoded from two keyframes before it and still not met: the frame is
    // in the index (the decoder output it from the start) but not reached
    // from any keyframe near it, as where a damaged reference picture
    // breaks the chain. Never another frame in its place: a clear answer.
    int64_t keyframe = plan_seek(file, request.frame).keyframe;
    return make_error(ErrorKind::unprocessable, "frame_undecodable",
                      "frame " + std::to_string(request.frame) + " cannot be decoded from the keyframes before it (" +
                          "frame " + std::to_string(keyframe) +
                          " and earlier): the file is damaged there; frames 0 to " +
                          std::to_string(file.info.frame_count - 1) + " exist");
  }
  return image;
}

}  // namespace frameserve::media
