#include "http/resources/thumbnail_resource.hpp"

#include "common/text.hpp"
#include "http/conditional.hpp"
#include "http/content_disposition.hpp"
#include "http/query_params.hpp"
#include "http/resources/media_params.hpp"
#include "http/responses.hpp"
#include "media/extraction.hpp"
#include "media/requests.hpp"

namespace frameserve::http {

namespace {
Result<media::FrameRequest> read_frame_request(const QueryParams& q) {
  media::FrameRequest r;
  auto frame = q.required_integer("frame", 0, INT32_MAX);
  if (!frame) return frame.error();
  r.frame = frame.value();

  const char* names[] = {"x", "y", "w", "h"};
  std::optional<int64_t> values[4];
  std::string missing;
  int given = 0;
  for (int i = 0; i < 4; ++i) {
    auto v = q.integer(names[i], i < 2 ? 0 : 1, INT32_MAX);
    if (!v) return v.error();
    values[i] = v.value();
    if (values[i])
      ++given;
    else
      missing += std::string(missing.empty() ? "" : ", ") + names[i];
  }
  if (given > 0 && given < 4) {
    return invalid_argument("incomplete_crop", "crop needs all of x, y, w and h together (missing: " + missing + ")");
  }
  if (given == 4) r.crop = media::CropRect{*values[0], *values[1], *values[2], *values[3]};

  auto format = q.choice("format", {"jpeg", "jpg", "png"}, "jpeg");
  if (!format) return format.error();
  r.format = format.value() == "png" ? media::ImageFormat::png : media::ImageFormat::jpeg;
  auto quality = q.integer("quality", 1, 100);
  if (!quality) return quality.error();
  if (quality.value()) r.quality = static_cast<int>(*quality.value());
  auto width = q.integer("width", 1, media::k_max_image_side);
  if (!width) return width.error();
  r.width = width.value();
  auto height = q.integer("height", 1, media::k_max_image_side);
  if (!height) return height.error();
  r.height = height.value();
  return r;
}

}  // namespace

std::string frame_image_etag(const std::string& kind, const media::MediaFile& file, const media::FrameRequest& r) {
  std::string parts = file.file_uuid + "|" + file.path + "|" + std::to_string(file.info.mtime_ns) + "|" +
                      std::to_string(r.frame) + "|" +
                      (r.format == media::ImageFormat::png ? "png" : "jpeg|" + std::to_string(r.quality));
  if (r.crop) {
    parts += "|crop:" + std::to_string(r.crop->x) + "," + std::to_string(r.crop->y) + "," +
             std::to_string(r.crop->width) + "," + std::to_string(r.crop->height);
  }
  parts += "|size:" + std::to_string(r.width.value_or(0)) + "x" + std::to_string(r.height.value_or(0));
  return derived_etag(kind, parts);
}

bool answer_image_not_modified(RequestContext& ctx, const std::string& etag) {
  if (!http::answer_not_modified(ctx.req, ctx.res, etag)) return false;
  set_public_day_cache(ctx.res);
  return true;
}

void send_image(RequestContext& ctx, std::string image, const std::string& content_type, const std::string& etag) {
  ctx.res.status = 200;
  set_public_day_cache(ctx.res);
  ctx.res.set_header("ETag", etag);
  ctx.res.set_content(std::move(image), content_type);
}

Status get_thumbnail(RequestContext& ctx) {
  QueryParams query(ctx.req);
  auto request = read_frame_request(query);
  if (!request) return request.error();
  const media::MediaFile& file = ctx.media();
  if (Status valid = media::validate_frame_request(request.value(), file.info); !valid) return valid;
  std::string cut = "_f" + std::to_string(request->frame);
  if (const auto& c = request->crop) {
    cut += "_x" + std::to_string(c->x) + "y" + std::to_string(c->y) + "w" + std::to_string(c->width) + "h" +
           std::to_string(c->height);
  }
  if (Status named = set_download_name(ctx, cut, request->format == media::ImageFormat::png ? "png" : "jpg"); !named) {
    return named;
  }

  std::string etag = frame_image_etag("thumbnail", file, request.value());
  if (answer_image_not_modified(ctx, etag)) return Status();
  auto image = media::extract_frame(ctx.app().runner(), file, request.value());
  if (!image) return image.error();
  ctx.res.set_header("X-Frame-Number", std::to_string(request->frame));
  ctx.res.set_header("X-Frame-Timestamp", format_fixed(file.timestamp_secs(request->frame), 6));
  send_image(ctx, std::move(image.value()), media::image_content_type(request->format), etag);
  return Status();
}

}  // namespace frameserve::http
