#include "http/resources/media_params.hpp"

#include "auth/crypto.hpp"
#include "common/text.hpp"

namespace frameserve::http {

namespace {
Result<media::RangeSpec> read_range_params(const QueryParams& q) {
  media::RangeSpec spec;
  auto start_frame = q.integer("start_frame", 0, INT32_MAX);
  if (!start_frame) return start_frame.error();
  auto end_frame = q.integer("end_frame", 0, INT32_MAX);
  if (!end_frame) return end_frame.error();
  auto start_time = q.number("start_time", 0, 1e7);
  if (!start_time) return start_time.error();
  auto end_time = q.number("end_time", 0, 1e7);
  if (!end_time) return end_time.error();
  auto fps = q.number("fps", 0.001, 1000);
  if (!fps) return fps.error();
  spec.start_frame = start_frame.value();
  spec.end_frame = end_frame.value();
  spec.start_time = start_time.value();
  spec.end_time = end_time.value();
  spec.fps = fps.value();
  return spec;
}

}  // namespace

Result<StreamParams> read_stream_params(const QueryParams& q) {
  auto range = read_range_params(q);
  if (!range) return range.error();
  auto audio = q.choice("audio", {"on", "off"}, "on");
  if (!audio) return audio.error();
  auto mode = q.choice("mode", {"normal", "debug"}, "normal");
  if (!mode) return mode.error();
  return StreamParams{range.value(), audio.value() == "on", mode.value() == "debug"};
}

std::string derived_etag(const std::string& kind, const std::string& parts) {
  std::string digest = auth::sha256(kind + "\n" + parts);
  return "\"" + hex_encode(reinterpret_cast<const unsigned char*>(digest.data()), 16) + "\"";
}

}  // namespace frameserve::http
