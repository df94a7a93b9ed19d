#include "http/resources/files_resource.hpp"

#include "common/json_writer.hpp"
#include "common/text.hpp"
#include "http/paging.hpp"
#include "import/file_registration.hpp"

namespace frameserve::http {

namespace {

constexpr const char* k_list = "files";
constexpr int64_t k_year_10000_us = 253402300800LL * 1000000;

// The fields GET /api/v1/files gives for each file (the names).
void write_file_fields(JsonWriter& w, const db::FileListing& f) {
  const media::MediaInfo& i = f.row.info;
  w.field("file_uuid", f.row.file_uuid).field("name", path_file_name(f.row.path));
  w.field("duration_secs", i.duration_secs).field("fps", i.fps.value()).field("frame_count", i.frame_count);
  w.field("width", i.width).field("height", i.height).field("video_codec", i.video_codec);
  w.field("has_audio", i.has_audio).field("trace_count", f.trace_count);
  w.field("identity_count", f.identity_count).field("detection_count", f.detection_count);
  w.field("created_at", format_utc_timestamp(f.row.registered_at_us));
}

void write_streams(JsonWriter& w, const media::MediaInfo& i) {
  w.key("streams").begin_array();
  w.begin_object().field("type", "video").field("codec", i.video_codec).field("width", i.width);
  w.field("height", i.height).field("fps", i.fps.value()).field("fps_rational", i.fps.str());
  w.field("time_base", i.time_base.str()).field("frame_count", i.frame_count).end_object();
  if (i.has_audio) w.begin_object().field("type", "audio").field("codec", i.audio_codec).end_object();
  w.end_array();
}

// Cursor key: "<registered_at in µs>,<file_uuid>".
std::string key_of(const db::FileListing& f) { return std::to_string(f.row.registered_at_us) + "," + f.row.file_uuid; }

Result<std::optional<db::FileKey>> parse_key(const std::optional<std::string>& key) {
  if (!key) return std::optional<db::FileKey>();
  auto parts = split(*key, ',');
  auto micros = parts.size() == 2 ? parse_int64(parts[0]) : std::nullopt;
  // Registration times lie between 1970 and 9999; anything else was not
  // issued by us (and would overflow PostgreSQL's interval arithmetic).
  if (!micros || *micros < 0 || *micros >= k_year_10000_us || !is_file_uuid(parts[1])) return bad_cursor(k_list);
  return std::optional<db::FileKey>(db::FileKey{*micros, std::string(parts[1])});
}

}  // namespace

Status list_files(RequestContext& ctx) {
  auto page_params = read_page_params(QueryParams(ctx.req), k_list);
  if (!page_params) return page_params.error();
  auto after = parse_key(page_params->after);
  if (!after) return after.error();
  auto page = ctx.app().discovery().files(*ctx.principal, after.value(), page_params->limit);
  if (!page) return page.error();

  JsonWriter w;
  w.begin_object().field("success", true).key("files").begin_array();
  for (const db::FileListing& f : page->items) {
    w.begin_object();
    write_file_fields(w, f);
    w.end_object();
  }
  w.end_array();
  write_next_cursor(w, k_list, page->more, page->items.empty() ? "" : key_of(page->items.back()));
  w.end_object();
  send_page(ctx.res, w.str());
  return Status();
}

std::string file_object_json(app::AppContext& app, const media::MediaFile& media, Status& status) {
  auto file = app.discovery().file(media.file_uuid);
  if (!file) {
    status = file.error();
    return "";
  }
  JsonWriter w;
  w.begin_object().field("success", true).key("file").begin_object();
  write_file_fields(w, file.value());
  w.field("container", file->row.info.container).field("size_bytes", file->row.info.size_bytes);
  // Whether the path still holds the registered file (a stat, as before a
  // job): media requests for a missing or changed one answer 410/409.
  const db::FileRow& row = file->row;
  import::FileCheck check =
      import::check_registered_file(app.files(), row.file_uuid, row.path, row.identity(), import::CheckDepth::quick);
  w.field("state", import::file_state_name(check.state));
  w.field("indexing", media::indexing_name(media.index->indexing()));
  write_streams(w, file->row.info);
  w.end_object().end_object();
  status = Status();
  return w.str();
}

Status get_file_info(RequestContext& ctx) {
  Status status;
  std::string body = file_object_json(ctx.app(), ctx.media(), status);
  if (!status) return status;
  // Its counts change with every import, like a page of the list.
  send_page(ctx.res, body);
  return Status();
}

}  // namespace frameserve::http
