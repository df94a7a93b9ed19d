#include "overlay/overlay_stream.hpp"

#include "overlay/overlay_feeder.hpp"

namespace frameserve::overlay {

Result<std::unique_ptr<process::MediaStream>> start_overlay_stream(const process::JobRunner& runner,
                                                                   OverlayRequest request,
                                                                   std::unique_ptr<FramePainter> painter) {
  const media::MediaFile& file = *request.file;
  auto decode = media::build_raw_decode_command(file, request.range);
  auto encode = media::build_overlay_encode_command(file, request.range, request.audio, request.format, request.encoder,
                                                    request.hls_timing);
  auto feeder = std::make_unique<OverlayFeeder>(std::move(request.file), request.range, std::move(painter));
  return runner.start_pipeline(decode, encode, std::move(feeder));
}

}  // namespace frameserve::overlay
