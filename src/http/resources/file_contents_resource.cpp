#include "http/resources/file_contents_resource.hpp"

#include "common/json_writer.hpp"
#include "common/text.hpp"
#include "faces/face_json.hpp"
#include "http/paging.hpp"

namespace frameserve::http {

namespace {

constexpr const char* k_identities = "identities";
constexpr const char* k_traces = "traces";
constexpr const char* k_detections = "detections";

void write_optional(JsonWriter& w, std::string_view name, const std::optional<int64_t>& value) {
  w.key(name);
  if (value)
    w.integer(*value);
  else
    w.null();
}

// Empty text (no identity) is written as null.
void write_optional(JsonWriter& w, std::string_view name, const std::string& value) {
  w.key(name);
  if (value.empty())
    w.null();
  else
    w.string(value);
}

// A cursor key that is a whole number >= 0 (trace ids, frame numbers).
Result<std::optional<int64_t>> integer_key(const std::optional<std::string>& key, const char* list) {
  if (!key) return std::optional<int64_t>();
  auto value = parse_int64(*key);
  if (!value || *value < 0) return bad_cursor(list);
  return std::optional<int64_t>(*value);
}

}  // namespace

Status list_identities(RequestContext& ctx) {
  auto page_params = read_page_params(QueryParams(ctx.req), k_identities);
  if (!page_params) return page_params.error();
  if (page_params->after && !is_identity_uuid(*page_params->after)) return bad_cursor(k_identities);
  const std::string& uuid = ctx.media().file_uuid;
  auto page = ctx.app().discovery().identities(uuid, page_params->after, page_params->limit);
  if (!page) return page.error();

  JsonWriter w;
  w.begin_object().field("success", true).field("file_uuid", uuid).key("identities").begin_array();
  for (const db::IdentityListing& i : page->items) {
    w.begin_object().field("identity_uuid", i.identity_uuid).field("name", i.name).key("trace_ids").begin_array();
    for (int64_t id : i.trace_ids) w.integer(id);
    w.end_array().field("detection_count", i.detection_count);
    write_optional(w, "first_frame", i.first_frame);
    write_optional(w, "last_frame", i.last_frame);
    w.end_object();
  }
  w.end_array();
  write_next_cursor(w, k_identities, page->more, page->items.empty() ? "" : page->items.back().identity_uuid);
  w.end_object();
  send_page(ctx.res, w.str());
  return Status();
}

Status list_traces(RequestContext& ctx) {
  QueryParams query(ctx.req);
  auto page_params = read_page_params(query, k_traces);
  if (!page_params) return page_params.error();
  auto after = integer_key(page_params->after, k_traces);
  if (!after) return after.error();
  auto identity = query.text("identity_uuid");
  if (!identity) return identity.error();
  if (identity.value() && !is_identity_uuid(*identity.value())) {
    return invalid_argument("invalid_parameter", "identity_uuid " + quote_for_message(*identity.value()) +
                                                     " is not a UUID (8-4-4-4-12 hex digits)");
  }
  const std::string& uuid = ctx.media().file_uuid;
  auto page = ctx.app().discovery().traces(uuid, identity.value(), after.value(), page_params->limit);
  if (!page) return page.error();

  JsonWriter w;
  w.begin_object().field("success", true).field("file_uuid", uuid).key("traces").begin_array();
  for (const db::TraceListing& t : page->items) {
    w.begin_object().field("trace_id", t.trace_id);
    write_optional(w, "identity_uuid", t.identity_uuid);
    write_optional(w, "name", t.name);
    w.field("label", t.label);
    write_optional(w, "first_frame", t.first_frame);
    write_optional(w, "last_frame", t.last_frame);
    w.field("face_count", t.detection_count);
    w.field("thumbnail_url", faces::trace_thumbnail_url(uuid, t.trace_id));
    w.field("representative_face_url", faces::representative_face_url(uuid, t.trace_id));
    w.end_object();
  }
  w.end_array();
  write_next_cursor(w, k_traces, page->more, page->items.empty() ? "" : std::to_string(page->items.back().trace_id));
  w.end_object();
  send_page(ctx.res, w.str());
  return Status();
}

Status list_detections(RequestContext& ctx) {
  QueryParams query(ctx.req);
  auto page_params = read_page_params(query, k_detections);
  if (!page_params) return page_params.error();
  auto from = integer_key(page_params->after, k_detections);
  if (!from) return from.error();
  auto start = query.required_integer("start_frame", 0, INT32_MAX);
  if (!start) return start.error();
  auto end = query.required_integer("end_frame", 0, INT32_MAX);
  if (!end) return end.error();
  auto page = ctx.app().discovery().detections(ctx.file, start.value(), end.value(), from.value(), page_params->limit);
  if (!page) return page.error();

  JsonWriter w;
  w.begin_object().field("success", true).field("file_uuid", ctx.media().file_uuid);
  w.field("start_frame", start.value()).field("end_frame", end.value()).key("frames").begin_array();
  for (const discovery::FrameDetections& f : page->items) {
    w.begin_object().field("frame_number", f.frame_number).field("timestamp_secs", f.timestamp_secs);
    w.key("detections").begin_array();
    for (const discovery::FrameDetection& d : f.detections) {
      w.begin_object().field("trace_id", d.box.trace_id);
      write_optional(w, "identity_uuid", d.identity_uuid);
      write_optional(w, "name", d.name);
      w.field("label", d.label);
      w.key("bbox").begin_object().field("x", d.box.x).field("y", d.box.y);
      w.field("width", d.box.width).field("height", d.box.height).end_object();
      w.field("confidence", d.box.confidence).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  // The detections cursor is the first frame not yet returned, so that a
  // page that ends on a frame never splits that frame's detections.
  write_next_cursor(w, k_detections, page->more,
                    page->items.empty() ? "" : std::to_string(page->items.back().frame_number + 1));
  w.end_object();
  send_page(ctx.res, w.str());
  return Status();
}

}  // namespace frameserve::http
