#include "http/resources/api_index_resource.hpp"

#include "app/version.hpp"
#include "common/json_writer.hpp"
#include "http/openapi_document.hpp"
#include "http/resources/viewer_resource.hpp"
#include "http/responses.hpp"

namespace frameserve::http {

Status get_root(RequestContext& ctx) {
  // A browser gets the viewer; every other client the JSON pointer.
  if (wants_html(ctx.req)) return get_viewer_page(ctx);
  JsonWriter w;
  w.begin_object().field("success", true).field("name", app::k_name).field("api", "/api/v1").end_object();
  send_json(ctx.res, 200, w.str());
  ctx.res.set_header("Vary", "Accept");
  return Status();
}

Status get_api_index(RequestContext& ctx) {
  JsonWriter w;
  w.begin_object().field("success", true).field("name", app::k_name).field("version", app::k_version);
  // Templated links: the parts in braces are to be filled in.
  w.key("links").begin_object();
  w.field("files", "/api/v1/files");
  w.field("file", "/api/v1/file/{file_uuid}");
  w.field("identities", "/api/v1/file/{file_uuid}/identities");
  w.field("traces", "/api/v1/file/{file_uuid}/traces");
  w.field("detections", "/api/v1/file/{file_uuid}/detections?start_frame={a}&end_frame={b}");
  w.field("openapi", "/api/v1/openapi.json");
  w.field("health", "/healthz");
  w.end_object().end_object();
  send_json(ctx.res, 200, w.str());
  return Status();
}

Status get_openapi_document(RequestContext& ctx) {
  // The document changes only with the binary: revalidate rather than cache
  // blindly, so a client never keeps describing an older server.
  ctx.res.set_header("Cache-Control", "no-cache");
  send_json(ctx.res, 200, std::string(openapi_document()));
  return Status();
}

}  // namespace frameserve::http
