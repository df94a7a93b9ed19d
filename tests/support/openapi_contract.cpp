#include "support/openapi_contract.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>

#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>

#include "common/text.hpp"
#include "http/openapi_document.hpp"

namespace frameserve::testing {

namespace {

// Keywords that only annotate: nothing to check.
const std::set<std::string> k_annotations = {"description", "title",    "default",         "examples",
                                             "example",     "format",   "deprecated",      "readOnly",
                                             "writeOnly",   "$comment", "contentMediaType"};
// Keywords validate_into() checks.
const std::set<std::string> k_assertions = {"$ref",
                                            "type",
                                            "const",
                                            "enum",
                                            "properties",
                                            "required",
                                            "additionalProperties",
                                            "items",
                                            "minItems",
                                            "maxItems",
                                            "minimum",
                                            "maximum",
                                            "exclusiveMinimum",
                                            "exclusiveMaximum",
                                            "minLength",
                                            "maxLength",
                                            "pattern",
                                            "allOf",
                                            "anyOf",
                                            "oneOf"};

constexpr int k_max_depth = 64;  // a $ref cycle must not recurse forever

std::string type_of(const rapidjson::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "boolean";
  if (v.IsObject()) return "object";
  if (v.IsArray()) return "array";
  if (v.IsString()) return "string";
  if (v.IsInt64() || v.IsUint64()) return "integer";
  return "number";
}

bool has_type(const rapidjson::Value& v, std::string_view type) {
  std::string actual = type_of(v);
  if (type == actual) return true;
  if (type == "number") return actual == "integer";
  // 2.0 is an integer in JSON Schema, whatever the writer chose.
  if (type == "integer" && actual == "number") {
    double d = v.GetDouble();
    return std::isfinite(d) && d == std::floor(d);
  }
  return false;
}

std::string brief(const rapidjson::Value& v) {
  if (v.IsString()) return "\"" + std::string(v.GetString(), std::min<size_t>(v.GetStringLength(), 60)) + "\"";
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsNull()) return "null";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsNumber()) return std::to_string(v.GetDouble());
  return type_of(v);
}

size_t utf8_length(const rapidjson::Value& v) {
  size_t count = 0;
  for (rapidjson::SizeType i = 0; i < v.GetStringLength(); ++i) {
    if ((static_cast<unsigned char>(v.GetString()[i]) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// std::regex objects per pattern, compiled once (tests run requests from
// several threads).
const std::regex& compiled(const std::string& pattern) {
  static std::mutex mutex;
  static std::map<std::string, std::regex> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(pattern);
  if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
  return it->second;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "video/mp4; codecs=..." -> "video/mp4"
std::string media_type_of(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return lower(type);
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// A path template as a regex that matches the concrete paths it describes.
std::regex template_regex(const std::string& path) {
  std::string pattern;
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '{') {
      size_t close = path.find('}', i);
      pattern += "[^/]+";
      i = close == std::string::npos ? path.size() : close;
    } else if (std::string_view(".[]()*+?^$|\\").find(c) != std::string_view::npos) {
      pattern += '\\';
      pattern += c;
    } else {
      pattern += c;
    }
  }
  return std::regex(pattern, std::regex::ECMAScript);
}

// Schemas are found under these keys of the document; walk them all.
void collect_unsupported(const rapidjson::Value& schema, const std::string& where, std::vector<std::string>& out);

void collect_in_schema_map(const rapidjson::Value& map, const std::string& where, std::vector<std::string>& out) {
  if (!map.IsObject()) return;
  for (auto& m : map.GetObject()) collect_unsupported(m.value, where + "/" + m.name.GetString(), out);
}

void collect_unsupported(const rapidjson::Value& schema, const std::string& where, std::vector<std::string>& out) {
  if (schema.IsBool()) return;
  if (!schema.IsObject()) {
    out.push_back(where + ": a schema must be an object or a boolean");
    return;
  }
  for (auto& m : schema.GetObject()) {
    std::string key = m.name.GetString();
    if (k_annotations.count(key)) continue;
    if (!k_assertions.count(key)) {
      out.push_back(where + ": " + key);
      continue;
    }
    if (key == "properties") collect_in_schema_map(m.value, where + "/properties", out);
    if (key == "items" || key == "additionalProperties") collect_unsupported(m.value, where + "/" + key, out);
    if ((key == "allOf" || key == "anyOf" || key == "oneOf") && m.value.IsArray()) {
      for (rapidjson::SizeType i = 0; i < m.value.Size(); ++i) {
        collect_unsupported(m.value[i], where + "/" + key + "/" + std::to_string(i), out);
      }
    }
    if (key == "type") {
      auto check_type = [&](const rapidjson::Value& t) {
        static const std::set<std::string> k_types = {"null",   "boolean", "object", "array",
                                                      "number", "integer", "string"};
        if (!t.IsString() || !k_types.count(t.GetString())) out.push_back(where + ": type " + brief(t));
      };
      if (m.value.IsArray()) {
        for (auto& t : m.value.GetArray()) check_type(t);
      } else {
        check_type(m.value);
      }
    }
  }
}

// Schemas inside parameters, headers and media types ({"schema": ...}).
void collect_nested_schemas(const rapidjson::Value& v, const std::string& where, std::vector<std::string>& out) {
  if (v.IsObject()) {
    for (auto& m : v.GetObject()) {
      std::string key = m.name.GetString();
      if (key == "schema")
        collect_unsupported(m.value, where + "/schema", out);
      else
        collect_nested_schemas(m.value, where + "/" + key, out);
    }
  } else if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
      collect_nested_schemas(v[i], where + "/" + std::to_string(i), out);
  }
}

}  // namespace

std::string normalize_route_path(std::string_view path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '{' || c == '(') {
      // A template parameter or a regex group: one path parameter.
      char close = c == '{' ? '}' : ')';
      int nesting = 1;
      size_t j = i + 1;
      for (; j < path.size() && nesting > 0; ++j) {
        if (path[j] == c) ++nesting;
        if (path[j] == close) --nesting;
      }
      out += "{}";
      i = j - 1;
    } else if (c == '\\' && i + 1 < path.size()) {
      out += path[++i];  // an escaped literal in a regex
    } else {
      out += c;
    }
  }
  return out;
}

OpenApiContract::OpenApiContract(std::string_view text) {
  m_doc.Parse(text.data(), text.size());
  if (m_doc.HasParseError()) {
    throw std::runtime_error(std::string("the OpenAPI document is not JSON: ") +
                             rapidjson::GetParseError_En(m_doc.GetParseError()) + " at offset " +
                             std::to_string(m_doc.GetErrorOffset()));
  }
  if (const rapidjson::Value* paths = member(m_doc, "paths"); paths && paths->IsObject()) {
    for (auto& p : paths->GetObject())
      m_paths.push_back(PathEntry{p.name.GetString(), template_regex(p.name.GetString())});
  }
}

const OpenApiContract& OpenApiContract::embedded() {
  static const OpenApiContract k_contract(http::openapi_document());
  return k_contract;
}

const rapidjson::Value* OpenApiContract::resolve(std::string_view ref) const {
  if (ref.empty() || ref[0] != '#') return nullptr;
  rapidjson::Pointer pointer(ref.data() + 1, ref.size() - 1);
  if (!pointer.IsValid()) return nullptr;
  return pointer.Get(m_doc);
}

std::vector<std::string> OpenApiContract::operations() const {
  static const char* const k_methods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  std::vector<std::string> out;
  const rapidjson::Value* paths = member(m_doc, "paths");
  if (!paths || !paths->IsObject()) return out;
  for (auto& p : paths->GetObject()) {
    for (const char* method : k_methods) {
      if (!member(p.value, method)) continue;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.push_back(upper + " " + p.name.GetString());
    }
  }
  return out;
}

std::vector<std::string> OpenApiContract::unsupported_keywords() const {
  std::vector<std::string> out;
  if (const rapidjson::Value* components = member(m_doc, "components")) {
    if (const rapidjson::Value* schemas = member(*components, "schemas")) {
      collect_in_schema_map(*schemas, "/components/schemas", out);
    }
    for (const char* part : {"parameters", "headers", "responses"}) {
      if (const rapidjson::Value* v = member(*components, part)) {
        collect_nested_schemas(*v, std::string("/components/") + part, out);
      }
    }
  }
  if (const rapidjson::Value* paths = member(m_doc, "paths")) collect_nested_schemas(*paths, "/paths", out);
  return out;
}

std::vector<std::string> OpenApiContract::validate(const rapidjson::Value& schema,
                                                   const rapidjson::Value& instance) const {
  std::vector<std::string> errors;
  validate_into(schema, instance, "$", errors, 0);
  return errors;
}

void OpenApiContract::validate_into(const rapidjson::Value& schema, const rapidjson::Value& instance,
                                    const std::string& where, std::vector<std::string>& errors, int depth) const {
  if (depth > k_max_depth) {
    errors.push_back(where + ": schema nesting deeper than " + std::to_string(k_max_depth) + " ($ref cycle?)");
    return;
  }
  if (schema.IsBool()) {
    if (!schema.GetBool()) errors.push_back(where + ": not allowed here");
    return;
  }
  if (!schema.IsObject()) {
    errors.push_back(where + ": the document's schema is not an object");
    return;
  }
  if (const rapidjson::Value* ref = member(schema, "$ref")) {
    const rapidjson::Value* target = ref->IsString() ? resolve(ref->GetString()) : nullptr;
    if (!target) {
      errors.push_back(where + ": unresolvable $ref " + brief(*ref));
      return;
    }
    validate_into(*target, instance, where, errors, depth + 1);
  }
  if (const rapidjson::Value* type = member(schema, "type")) {
    bool ok = false;
    std::string wanted;
    if (type->IsArray()) {
      for (auto& t : type->GetArray()) {
        ok = ok || (t.IsString() && has_type(instance, t.GetString()));
        wanted += (wanted.empty() ? "" : " or ") + std::string(t.IsString() ? t.GetString() : "?");
      }
    } else if (type->IsString()) {
      ok = has_type(instance, type->GetString());
      wanted = type->GetString();
    }
    if (!ok) {
      errors.push_back(where + ": expected " + wanted + ", got " + type_of(instance) + " " + brief(instance));
      return;  // the type-specific keywords below would only repeat it
    }
  }
  if (const rapidjson::Value* c = member(schema, "const"); c && !(*c == instance)) {
    errors.push_back(where + ": expected " + brief(*c) + ", got " + brief(instance));
  }
  if (const rapidjson::Value* e = member(schema, "enum"); e && e->IsArray()) {
    bool found = false;
    for (auto& option : e->GetArray()) found = found || option == instance;
    if (!found) errors.push_back(where + ": " + brief(instance) + " is not one of the documented values");
  }
  for (const char* combinator : {"allOf", "anyOf", "oneOf"}) {
    const rapidjson::Value* list = member(schema, combinator);
    if (!list || !list->IsArray()) continue;
    int matched = 0;
    std::vector<std::string> all_errors;
    for (auto& sub : list->GetArray()) {
      std::vector<std::string> sub_errors;
      validate_into(sub, instance, where, sub_errors, depth + 1);
      if (sub_errors.empty()) ++matched;
      all_errors.insert(all_errors.end(), sub_errors.begin(), sub_errors.end());
    }
    std::string name = combinator;
    if (name == "allOf" && !all_errors.empty()) errors.insert(errors.end(), all_errors.begin(), all_errors.end());
    if (name == "anyOf" && matched == 0) {
      errors.push_back(where + ": matches none of anyOf" + (all_errors.empty() ? "" : " (" + all_errors[0] + ")"));
    }
    if (name == "oneOf" && matched != 1) {
      errors.push_back(where + ": matches " + std::to_string(matched) + " of oneOf, not exactly one");
    }
  }
  if (instance.IsNumber()) {
    double value = instance.GetDouble();
    auto bound = [&](const char* key, auto fails, const char* words) {
      const rapidjson::Value* b = member(schema, key);
      if (b && b->IsNumber() && fails(value, b->GetDouble())) {
        errors.push_back(where + ": " + brief(instance) + " " + words + " " + brief(*b));
      }
    };
    bound(
        "minimum", [](double v, double b) { return v < b; }, "is below the minimum");
    bound(
        "maximum", [](double v, double b) { return v > b; }, "is above the maximum");
    bound(
        "exclusiveMinimum", [](double v, double b) { return v <= b; }, "is not above");
    bound(
        "exclusiveMaximum", [](double v, double b) { return v >= b; }, "is not below");
  }
  if (instance.IsString()) {
    size_t length = utf8_length(instance);
    if (const rapidjson::Value* n = member(schema, "minLength"); n && n->IsUint64() && length < n->GetUint64()) {
      errors.push_back(where + ": shorter than " + brief(*n) + " characters");
    }
    if (const rapidjson::Value* n = member(schema, "maxLength"); n && n->IsUint64() && length > n->GetUint64()) {
      errors.push_back(where + ": longer than " + brief(*n) + " characters");
    }
    if (const rapidjson::Value* p = member(schema, "pattern"); p && p->IsString()) {
      std::string text(instance.GetString(), instance.GetStringLength());
      if (!std::regex_search(text, compiled(p->GetString()))) {
        errors.push_back(where + ": " + brief(instance) + " does not match " + p->GetString());
      }
    }
  }
  if (instance.IsArray()) {
    rapidjson::SizeType size = instance.Size();
    if (const rapidjson::Value* n = member(schema, "minItems"); n && n->IsUint64() && size < n->GetUint64()) {
      errors.push_back(where + ": fewer than " + brief(*n) + " items");
    }
    if (const rapidjson::Value* n = member(schema, "maxItems"); n && n->IsUint64() && size > n->GetUint64()) {
      errors.push_back(where + ": more than " + brief(*n) + " items");
    }
    if (const rapidjson::Value* items = member(schema, "items")) {
      for (rapidjson::SizeType i = 0; i < size; ++i) {
        validate_into(*items, instance[i], where + "[" + std::to_string(i) + "]", errors, depth + 1);
      }
    }
  }
  if (instance.IsObject()) {
    if (const rapidjson::Value* required = member(schema, "required"); required && required->IsArray()) {
      for (auto& name : required->GetArray()) {
        if (name.IsString() && !instance.HasMember(name)) {
          errors.push_back(where + ": missing required member \"" + name.GetString() + "\"");
        }
      }
    }
    const rapidjson::Value* properties = member(schema, "properties");
    const rapidjson::Value* additional = member(schema, "additionalProperties");
    for (auto& m : instance.GetObject()) {
      std::string name = m.name.GetString();
      std::string inner = where + "." + name;
      const rapidjson::Value* property = properties ? member(*properties, name.c_str()) : nullptr;
      if (property) {
        validate_into(*property, m.value, inner, errors, depth + 1);
      } else if (additional && additional->IsBool() && !additional->GetBool()) {
        errors.push_back(inner + ": member not in the documented schema");
      } else if (additional && additional->IsObject()) {
        validate_into(*additional, m.value, inner, errors, depth + 1);
      }
    }
  }
}

void OpenApiContract::check_headers(const rapidjson::Value& response, const httplib::Headers& headers,
                                    const std::string& what, std::vector<std::string>& errors) const {
  const rapidjson::Value* documented = member(response, "headers");
  if (!documented || !documented->IsObject()) return;
  for (auto& h : documented->GetObject()) {
    const rapidjson::Value* header = &h.value;
    if (const rapidjson::Value* ref = member(*header, "$ref")) {
      header = ref->IsString() ? resolve(ref->GetString()) : nullptr;
    }
    const rapidjson::Value* schema = header ? member(*header, "schema") : nullptr;
    auto actual = headers.find(h.name.GetString());
    if (!schema || actual == headers.end()) continue;
    // A header is text; one documented as an integer must read as one.
    rapidjson::Document instance;
    const rapidjson::Value* type = member(*schema, "type");
    std::optional<int64_t> number;
    if (type && type->IsString() && std::string(type->GetString()) == "integer") number = parse_int64(actual->second);
    if (number)
      instance.SetInt64(*number);
    else
      instance.SetString(actual->second.c_str(), static_cast<rapidjson::SizeType>(actual->second.size()),
                         instance.GetAllocator());
    std::vector<std::string> mismatches;
    validate_into(*schema, instance, std::string("header ") + h.name.GetString(), mismatches, 0);
    for (const std::string& m : mismatches) errors.push_back(what + ": " + m);
  }
}

void OpenApiContract::check_error_body(std::string_view content_type, std::string_view body,
                                       std::vector<std::string>& errors) const {
  if (body.empty() || media_type_of(content_type) != "application/json") return;
  rapidjson::Document instance;
  instance.Parse(body.data(), body.size());
  if (instance.HasParseError()) {
    errors.push_back("the JSON error body does not parse");
    return;
  }
  const rapidjson::Value* schema = resolve("#/components/schemas/Error");
  if (!schema) {
    errors.push_back("the document has no components.schemas.Error");
    return;
  }
  validate_into(*schema, instance, "$", errors, 0);
}

std::vector<std::string> OpenApiContract::check_response(std::string_view method, std::string_view target, int status,
                                                         const httplib::Headers& headers, std::string_view body) const {
  std::vector<std::string> errors;
  auto header_it = headers.find("Content-Type");
  std::string content_type = header_it == headers.end() ? "" : header_it->second;
  std::string path(target.substr(0, target.find('?')));
  const PathEntry* entry = nullptr;
  for (const PathEntry& p : m_paths) {
    if (std::regex_match(path, p.regex)) {
      entry = &p;
      break;
    }
  }
  std::string verb = lower(method);
  const rapidjson::Value* operation = nullptr;
  if (entry) {
    const rapidjson::Value& item = m_doc["paths"][entry->path.c_str()];
    operation = member(item, verb.c_str());
    // Every GET also answers HEAD, with the same headers.
    if (!operation && verb == "head") operation = member(item, "get");
  }
  if (!operation) {
    // Not a documented operation (an unknown path, another method): its
    // answer can only be an error, and errors have one shape.
    if (status >= 400) check_error_body(content_type, body, errors);
    return errors;
  }
  std::string what = std::string(method) + " " + entry->path;
  const rapidjson::Value* responses = member(*operation, "responses");
  std::string code = std::to_string(status);
  std::string range = code.substr(0, 1) + "XX";
  const rapidjson::Value* response = nullptr;
  for (const std::string& key : {code, range, std::string("default")}) {
    if (!response && responses) response = member(*responses, key.c_str());
  }
  if (!response) {
    errors.push_back(what + " answered " + code + ", which the document does not list for it");
    return errors;
  }
  if (const rapidjson::Value* ref = member(*response, "$ref")) {
    response = ref->IsString() ? resolve(ref->GetString()) : nullptr;
    if (!response) {
      errors.push_back(what + " " + code + ": unresolvable response $ref");
      return errors;
    }
  }
  check_headers(*response, headers, what + " " + code, errors);
  if (body.empty()) return errors;  // HEAD, 304, an empty range: nothing to check
  std::string media = media_type_of(content_type);
  const rapidjson::Value* content = member(*response, "content");
  const rapidjson::Value* media_entry = nullptr;
  if (content) {
    std::string any_subtype = media.substr(0, media.find('/')) + "/*";
    for (const std::string& key : {media, any_subtype, std::string("*/*")}) {
      if (!media_entry) media_entry = member(*content, key.c_str());
    }
  }
  if (!media_entry) {
    errors.push_back(what + " answered " + code + " with Content-Type " + std::string(content_type) +
                     ", which the document does not list for it");
    return errors;
  }
  if (media != "application/json") return errors;
  rapidjson::Document instance;
  instance.Parse(body.data(), body.size());
  if (instance.HasParseError()) {
    errors.push_back(what + " " + code + ": the application/json body does not parse");
    return errors;
  }
  const rapidjson::Value* schema = member(*media_entry, "schema");
  if (!schema) return errors;
  std::vector<std::string> mismatches;
  validate_into(*schema, instance, "$", mismatches, 0);
  for (const std::string& m : mismatches) errors.push_back(what + " " + code + ": " + m);
  return errors;
}

}  // namespace frameserve::testing
