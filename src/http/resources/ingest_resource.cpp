#include "http/resources/ingest_resource.hpp"

#include <rapidjson/document.h>

#include "common/file_uuid.hpp"
#include "common/json_parse.hpp"
#include "common/json_writer.hpp"
#include "common/text.hpp"
#include "db/detection_writer.hpp"
#include "http/body_length.hpp"
#include "http/connection_watch.hpp"
#include "http/query_params.hpp"
#include "http/resources/files_resource.hpp"
#include "http/responses.hpp"
#include "http/small_body.hpp"
#include "import/detection_importer.hpp"
#include "import/file_registration.hpp"

namespace frameserve::http {

namespace {

// A registration request is a few hundred bytes; anything near this is not one.
constexpr size_t k_max_json_body = 64 * 1024;
// How much of a refused body is still read (and dropped) before the
// connection is closed on it.
constexpr int64_t k_drain_slack = 16 << 20;

Error too_large(int64_t cap) {
  return make_error(ErrorKind::payload_too_large, "payload_too_large",
                    "the request body is larger than this server accepts (--max-upload-bytes " + std::to_string(cap) +
                        " bytes); split the import or ask for a larger cap");
}

Error registration_too_large(size_t cap) {
  return make_error(
      ErrorKind::payload_too_large, "payload_too_large",
      "a registration body may hold at most " + std::to_string(cap) + " bytes: {\"path\": ..., \"file_uuid\"?: ...}");
}

// 413 before reading a byte when the client announced a body beyond `cap`.
Status check_announced_length(RequestContext& ctx, int64_t cap) {
  if (announced_body_beyond(ctx.req, cap)) return too_large(cap);
  return Status();
}

// The string member `name` of a JSON object: nullopt when absent.
Result<std::optional<std::string>> string_member(const rapidjson::Document& doc, const char* name) {
  auto it = doc.FindMember(name);
  if (it == doc.MemberEnd() || it->value.IsNull()) return std::optional<std::string>();
  if (!it->value.IsString()) {
    return invalid_argument("bad_request_body", std::string("\"") + name + "\" must be a string");
  }
  return std::optional<std::string>(std::string(it->value.GetString(), it->value.GetStringLength()));
}

Result<import::ImportFormat> format_of(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  std::string media_type = to_lower_ascii(trim(std::string_view(type).substr(0, type.find(';'))));
  if (media_type == "application/x-ndjson") return import::ImportFormat::jsonl;
  if (media_type == "text/csv") return import::ImportFormat::mot;
  return invalid_argument("unsupported_content_type",
                          "Content-Type " + quote_for_message(type.empty() ? "(none)" : type) +
                              " is not an import format; send application/x-ndjson (one JSON detection a line) or "
                              "text/csv (MOTChallenge)");
}

Status import_body(RequestContext& ctx, bool replace) {
  const int64_t cap = ctx.server.config.max_upload_bytes;
  if (Status announced = check_announced_length(ctx, cap); !announced) {
    ctx.res.set_header("Connection", "close");
    return announced;
  }
  auto format = format_of(ctx.req);
  if (!format) return format.error();
  QueryParams query(ctx.req);
  auto label = query.text("label");
  if (!label) return label.error();
  auto frame_base = query.integer("frame_base", 0, 1);
  if (!frame_base) return frame_base.error();
  auto file = ctx.app().files().find(ctx.media().file_uuid);
  if (!file) return file.error();

  import::ImportOptions options;
  options.format = format.value();
  options.replace = replace;
  if (label.value()) options.default_label = *label.value();
  if (frame_base.value()) options.frame_base = static_cast<int>(*frame_base.value());
  // The route required the write scope, so the files the caller sees are
  // the files it may write: the import may rename only identities that
  // appear in no other file.
  auto writable = ctx.app().authenticator().visible_files(*ctx.principal);
  if (!writable) return writable.error();
  options.writable_files = std::move(writable.value());
  import::DetectionImport import(file.value(), options);

  int64_t received = 0;
  int64_t failed_at = -1;  // bytes received when a line was refused
  bool over_cap = false;
  Status fed;
  ctx.body_read = true;
  // After a bad line or past the cap the rest is read and dropped, up to a
  // bound: a server that closes a connection with unread data in it
  // resets it, and the client may then lose the answer saying why.
  bool whole = !ctx.body || (*ctx.body)([&](const char* data, size_t length) {
    received += static_cast<int64_t>(length);
    ConnectionWatch::body_progress(static_cast<uint64_t>(received));
    if (received > cap) over_cap = true;
    if (over_cap) return received - cap <= k_drain_slack;
    if (!fed) return received - failed_at <= k_drain_slack;
    fed = import.feed(std::string_view(data, length));
    if (!fed) failed_at = received;
    return true;
  });
  if (over_cap) {
    ctx.res.set_header("Connection", "close");
    return too_large(cap);
  }
  if (!fed) {
    if (!whole) ctx.res.set_header("Connection", "close");
    return fed.error();
  }
  if (!whole) return invalid_argument("body_incomplete", "the request body ended early; nothing was imported");
  ConnectionWatch::body_complete();

  auto summary = import.finish(ctx.app().database());
  if (!summary) {
    Error e = summary.error();
    if (e.code == db::k_traces_exist) e.message += "; POST adds traces, PUT replaces the file's detections";
    return e;
  }
  JsonWriter w;
  w.begin_object().field("success", true).field("file_uuid", ctx.media().file_uuid);
  w.field("detections", summary->detections).field("traces", summary->traces);
  w.field("identities", summary->identities).field("detections_revision", summary->detections_revision);
  w.end_object();
  send_json(ctx.res, 200, w.str());
  return Status();
}

}  // namespace

Status register_file(RequestContext& ctx) {
  // The caller chooses the new file's uuid, and a 409 file_exists would tell
  // whether a uuid is taken; credentials for some files could not even read
  // the file they registered. So registering needs write credentials for
  // every file, checked before anything else (the route checked the scope).
  if (!ctx.principal->all_files) {
    return make_error(ErrorKind::forbidden, "insufficient_scope",
                      "registering a file needs write credentials for every file and these cover only some: use a "
                      "key made with `frameserve key create --all --write` or a JWT with \"files\": \"*\" and "
                      "\"scope\": \"write\" (`frameserve token create --all --write`)");
  }
  auto body = read_small_body(ctx, k_max_json_body, registration_too_large(k_max_json_body));
  if (!body) return body.error();
  rapidjson::Document doc;
  JsonParse parsed = parse_json(body.value(), doc);
  if (parsed == JsonParse::too_deep)
    return invalid_argument("bad_request_body", "the body has " + json_too_deep_message());
  if (parsed != JsonParse::ok || !doc.IsObject()) {
    return invalid_argument("bad_request_body",
                            "the body must be a JSON object: {\"path\": \"/srv/media/film.mp4\", \"file_uuid\"?: "
                            "\"32 hex digits\"}");
  }
  auto path = string_member(doc, "path");
  if (!path) return path.error();
  if (!path.value()) return invalid_argument("bad_request_body", "\"path\" is missing: the file's absolute path");
  auto uuid = string_member(doc, "file_uuid");
  if (!uuid) return uuid.error();
  auto name = string_member(doc, "name");
  if (!name) return name.error();
  // A file's name is its path's last component today; storing another is
  // not supported yet, and silently ignoring it would surprise the caller.
  if (name.value() && *name.value() != path_file_name(*path.value())) {
    return invalid_argument("name_not_supported", "\"name\" other than the file's own name (" +
                                                      quote_for_message(path_file_name(*path.value())) +
                                                      ") is not supported yet; leave it out");
  }
  for (auto& m : doc.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (key != "path" && key != "file_uuid" && key != "name") {
      return invalid_argument("bad_request_body",
                              "unknown member " + quote_for_message(key) + "; valid: path, file_uuid, name");
    }
  }
  std::string file_uuid = uuid.value().value_or("");
  if (!file_uuid.empty()) {
    if (Status valid = check_file_uuid(file_uuid); !valid) return valid;
  }
  auto resolved = import::resolve_under_roots(ctx.server.config.media_roots, *path.value());
  if (!resolved) return resolved.error();
  auto media = import::register_media_file(ctx.app().runner(), ctx.app().files(), resolved.value(), file_uuid);
  if (!media) return media.error();
  Status status;
  std::string json = file_object_json(ctx.app(), media.value(), status);
  if (!status) return status;
  ctx.res.set_header("Location", "/api/v1/file/" + media->file_uuid);
  send_json(ctx.res, 201, json);
  return Status();
}

Status delete_file(RequestContext& ctx) {
  if (Status removed = ctx.app().files().remove(ctx.media().file_uuid); !removed) return removed;
  ctx.res.status = 204;
  return Status();
}

Status replace_detections(RequestContext& ctx) { return import_body(ctx, true); }
Status append_detections(RequestContext& ctx) { return import_body(ctx, false); }

}  // namespace frameserve::http
