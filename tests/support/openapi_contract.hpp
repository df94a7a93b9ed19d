// OpenApiContract: api/openapi.json (as embedded in the binary) read as a
// contract that responses can be checked against — which documented
// operation answers a request, which statuses and media types it may
// return, and whether a JSON body matches the schema documented for it.
//
// Schemas are checked by a small validator of the JSON Schema subset the
// document uses ($ref, type incl. type arrays for null, const, enum,
// properties, required, additionalProperties, items, minItems/maxItems,
// minimum/maximum and their exclusive forms, minLength/maxLength, pattern,
// allOf/anyOf/oneOf; annotations are ignored). A schema that uses any other
// keyword is reported by unsupported_keywords(), so that nothing in the
// document silently goes unchecked.
#pragma once

#include <httplib.h>
#include <rapidjson/document.h>

#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace frameserve::testing {

class OpenApiContract {
 public:
  // Parses a document; throws std::runtime_error when it is not JSON.
  explicit OpenApiContract(std::string_view text);
  // The document the binary serves, parsed once (thread-safe); throws
  // std::runtime_error when it is not JSON.
  static const OpenApiContract& embedded();

  // What is wrong with one response to METHOD TARGET (TARGET may hold a
  // query): an undocumented status, a media type the operation does not
  // list, a JSON body that does not match its schema, a documented header
  // whose value does not match its schema (headers are not required to be
  // there). Responses to paths or methods the document does not describe
  // are checked only as errors (a JSON error body must be the error
  // envelope). Empty when all is as documented; never throws.
  std::vector<std::string> check_response(std::string_view method, std::string_view target, int status,
                                          const httplib::Headers& headers, std::string_view body) const;

  // Mismatches of `instance` against `schema` ("$.files[0].fps: expected
  // number, got string"); empty when it matches. Never throws.
  std::vector<std::string> validate(const rapidjson::Value& schema, const rapidjson::Value& instance) const;

  // Every keyword of the document's schemas that validate() does not
  // understand, as "/json/pointer: keyword"; empty when all are understood.
  std::vector<std::string> unsupported_keywords() const;

  // Every documented operation as "METHOD /path/{template}" (upper-case
  // method), in document order.
  std::vector<std::string> operations() const;

  const rapidjson::Document& document() const { return m_doc; }
  // The value a local "$ref" ("#/components/...") points to, or nullptr.
  const rapidjson::Value* resolve(std::string_view ref) const;

 private:
  struct PathEntry {
    std::string path;
    std::regex regex;
  };
  void validate_into(const rapidjson::Value& schema, const rapidjson::Value& instance, const std::string& where,
                     std::vector<std::string>& errors, int depth) const;
  void check_headers(const rapidjson::Value& response, const httplib::Headers& headers, const std::string& what,
                     std::vector<std::string>& errors) const;
  void check_error_body(std::string_view content_type, std::string_view body, std::vector<std::string>& errors) const;

  rapidjson::Document m_doc;
  std::vector<PathEntry> m_paths;
};

// "/api/v1/file/{file_uuid}/trace/{trace_id}/video" -> "/api/v1/file/{}/trace/{}/video";
// the router's "/api/v1/file/([^/]+)/trace/([^/]+)/video" gives the same, as
// does an escaped literal ("openapi\\.json" -> "openapi.json"). Lets the route
// table and the document be compared whatever the parameters are called.
std::string normalize_route_path(std::string_view path);

}  // namespace frameserve::testing
