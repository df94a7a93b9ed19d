#include "http/resources/storyboard_resource.hpp"

#include "common/text.hpp"
#include "http/conditional.hpp"
#include "http/query_params.hpp"
#include "http/resources/media_params.hpp"
#include "http/resources/thumbnail_resource.hpp"
#include "http/responses.hpp"
#include "storyboard/storyboard_service.hpp"

namespace frameserve::http {

namespace {
Result<media::StoryboardRequest> read_storyboard_request(const QueryParams& q) {
  media::StoryboardRequest r;
  auto interval = q.text("interval");
  if (!interval) return interval.error();
  if (interval.value()) {
    auto value = parse_double(*interval.value());
    if (!value || !(*value >= media::k_storyboard_min_interval && *value <= media::k_storyboard_max_interval)) {
      return invalid_argument("invalid_parameter", "interval must be a number of seconds from " +
                                                       format_fixed(media::k_storyboard_min_interval, 1) + " to " +
                                                       format_fixed(media::k_storyboard_max_interval, 0) + " (got " +
                                                       quote_for_message(*interval.value()) + ")");
    }
    r.interval_secs = *value;
  }
  auto width = q.integer("width", media::k_storyboard_min_width, media::k_storyboard_max_width);
  if (!width) return width.error();
  if (width.value()) r.tile_width = *width.value();
  auto exact = q.choice("exact", {"0", "1"}, "0");
  if (!exact) return exact.error();
  r.exact = exact.value() == "1";
  return r;
}

Result<media::StoryboardPlan> plan_for(RequestContext& ctx) {
  auto request = read_storyboard_request(QueryParams(ctx.req));
  if (!request) return request.error();
  return media::plan_storyboard(ctx.media(), request.value());
}

// The request's query, repeated in every URL of the storyboard.
std::string query_of(const httplib::Request& req) {
  auto question = req.target.find('?');
  return question == std::string::npos ? std::string() : req.target.substr(question);
}

// URLs relative to the directory of .../storyboard, .../storyboard.json and
// .../storyboard.vtt; a sheet's own links go one level up.
std::string sheet_url(const std::string& query, size_t sheet) {
  return "storyboard/" + std::to_string(sheet) + ".jpg" + query;
}

void set_links(RequestContext& ctx, const std::string& prefix, const std::string& query) {
  ctx.res.set_header("Link", "<" + prefix + "storyboard.json" + query +
                                 ">; rel=\"alternate\"; type=\"application/json\", <" + prefix + "storyboard.vtt" +
                                 query + ">; rel=\"alternate\"; type=\"text/vtt\"");
}

// The ETag of the JSON or WebVTT: the storyboard's identity and the URLs'
// query (credentials included), which the body repeats.
std::string document_etag(const std::string& kind, RequestContext& ctx, const media::StoryboardPlan& plan) {
  return derived_etag(kind, storyboard::sheet_cache_key(ctx.media(), plan, 0) + "|" + query_of(ctx.req));
}

constexpr const char* k_private_day = "private, max-age=86400";

Status send_document(RequestContext& ctx, const std::string& etag, const std::function<std::string()>& body,
                     const std::string& content_type) {
  ctx.res.set_header("ETag", etag);
  ctx.res.set_header("Cache-Control", k_private_day);
  if (ctx.req.has_header("If-None-Match")) {
    std::string if_none_match = ctx.req.get_header_value("If-None-Match");
    if (not_modified(std::string_view(if_none_match), std::nullopt, Validators{etag, ""})) {
      ctx.res.status = 304;
      return Status();
    }
  }
  ctx.res.status = 200;
  ctx.res.set_content(body(), content_type);
  return Status();
}
}  // namespace

Status get_storyboard_json(RequestContext& ctx) {
  auto plan = plan_for(ctx);
  if (!plan) return plan.error();
  std::string query = query_of(ctx.req);
  set_links(ctx, "", query);
  return send_document(
      ctx, document_etag("storyboard.json", ctx, plan.value()),
      [&] {
        return storyboard::storyboard_json(
            ctx.media(), plan.value(), [&](size_t sheet) { return sheet_url(query, sheet); }, "storyboard.vtt" + query);
      },
      "application/json");
}

Status get_storyboard_vtt(RequestContext& ctx) {
  auto plan = plan_for(ctx);
  if (!plan) return plan.error();
  std::string query = query_of(ctx.req);
  set_links(ctx, "", query);
  return send_document(
      ctx, document_etag("storyboard.vtt", ctx, plan.value()),
      [&] { return storyboard::storyboard_vtt(plan.value(), [&](size_t sheet) { return sheet_url(query, sheet); }); },
      "text/vtt; charset=utf-8");
}

Status get_storyboard_sheet(RequestContext& ctx) {
  auto plan = plan_for(ctx);
  if (!plan) return plan.error();
  const size_t count = plan->sheets.size();
  auto number = parse_int64(ctx.params.at(0));
  if (!number || *number < 0 || static_cast<size_t>(*number) >= count) {
    return not_found("no_such_sheet", "this storyboard has " + std::to_string(count) + " sheet" +
                                          (count == 1 ? "" : "s") + ", 0.jpg to " + std::to_string(count - 1) +
                                          ".jpg (got " + quote_for_message(ctx.params.at(0)) + ".jpg)");
  }
  const size_t sheet = static_cast<size_t>(*number);
  set_links(ctx, "../", query_of(ctx.req));
  std::string etag = derived_etag("storyboard-sheet", storyboard::sheet_cache_key(ctx.media(), plan.value(), sheet));
  if (answer_image_not_modified(ctx, etag)) return Status();
  auto image =
      storyboard::storyboard_sheet(ctx.app().runner(), ctx.app().segment_cache(), ctx.media(), plan.value(), sheet);
  if (!image) return image.error();
  ctx.res.set_header("X-Storyboard-Cache", image->from_cache ? "hit" : "miss");
  send_image(ctx, std::move(image->jpeg), "image/jpeg", etag);
  return Status();
}

}  // namespace frameserve::http
