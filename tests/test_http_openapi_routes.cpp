// The OpenAPI document (api/openapi.json) against the code, without a
// server: every route of the router is documented and every documented
// operation is routed (both ways), path templates declare their parameters,
// every $ref resolves, the schemas use only what the contract checker
// understands, and the checker itself catches what it must.
#include <doctest/doctest.h>
#include <httplib.h>

#include <set>
#include <string>

#include "app/version.hpp"
#include "http/openapi_document.hpp"
#include "http/routes.hpp"
#include "support/openapi_contract.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {

// "GET /api/v1/file/{}/video" for every route the router registers.
std::set<std::string> routed_operations() {
  std::set<std::string> out;
  for (const http::RouteInfo& route : http::route_table()) {
    out.insert(route.method + " " + normalize_route_path(route.pattern));
  }
  return out;
}

void collect_refs(const rapidjson::Value& v, std::set<std::string>& refs) {
  if (v.IsObject()) {
    for (auto& m : v.GetObject()) {
      if (std::string(m.name.GetString()) == "$ref" && m.value.IsString())
        refs.insert(m.value.GetString());
      else
        collect_refs(m.value, refs);
    }
  } else if (v.IsArray()) {
    for (auto& item : v.GetArray()) collect_refs(item, refs);
  }
}

rapidjson::Document parse(const char* json) {
  rapidjson::Document doc;
  doc.Parse(json);
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

}  // namespace

TEST_CASE("openapi: every route is documented and every documented operation is routed") {
  const OpenApiContract& contract = OpenApiContract::embedded();
  std::set<std::string> routed = routed_operations();
  REQUIRE(routed.size() >= 18);
  std::set<std::string> documented;
  for (const std::string& operation : contract.operations()) {
    std::string method = operation.substr(0, operation.find(' '));
    documented.insert(method + " " + normalize_route_path(operation.substr(method.size() + 1)));
  }

  for (const std::string& route : routed) {
    INFO("routed in src/http/routes.cpp but not documented in api/openapi.json (add its path item): " << route);
    CHECK(documented.count(route) == 1);
  }
  for (const std::string& operation : documented) {
    // Every GET route answers HEAD too, so a documented HEAD needs a GET route.
    std::string routed_as = operation.rfind("HEAD ", 0) == 0 ? "GET " + operation.substr(5) : operation;
    INFO("documented in api/openapi.json but not routed in src/http/routes.cpp: " << operation);
    CHECK(routed.count(routed_as) == 1);
  }
}

TEST_CASE("openapi: the document is OpenAPI 3.1 for this version, and every path parameter is declared") {
  const OpenApiContract& contract = OpenApiContract::embedded();
  const rapidjson::Document& doc = contract.document();
  REQUIRE(doc.IsObject());
  CHECK(std::string(doc["openapi"].GetString()) == "3.1.0");
  CHECK(std::string(doc["info"]["version"].GetString()) == app::k_version);
  CHECK(std::string(doc["info"]["title"].GetString()) == app::k_name);
  for (const char* scheme : {"ApiKey", "BearerJwt", "AccessToken"}) {
    CAPTURE(scheme);
    CHECK(doc["components"]["securitySchemes"].HasMember(scheme));
  }

  static const std::set<std::string> k_methods = {"get", "put", "post", "delete", "head", "patch", "options"};
  for (auto& path : doc["paths"].GetObject()) {
    std::string templ = path.name.GetString();
    // Path parameters declared for the path item or for each operation.
    std::set<std::string> item_params;
    auto add_params = [&](const rapidjson::Value& holder, std::set<std::string>& into) {
      if (!holder.HasMember("parameters")) return;
      for (auto& p : holder["parameters"].GetArray()) {
        const rapidjson::Value* param = &p;
        if (p.HasMember("$ref")) param = contract.resolve(p["$ref"].GetString());
        REQUIRE(param != nullptr);
        if (std::string((*param)["in"].GetString()) == "path") into.insert((*param)["name"].GetString());
      }
    };
    add_params(path.value, item_params);
    std::set<std::string> in_template;
    for (size_t open = templ.find('{'); open != std::string::npos; open = templ.find('{', open + 1)) {
      in_template.insert(templ.substr(open + 1, templ.find('}', open) - open - 1));
    }
    for (auto& op : path.value.GetObject()) {
      if (!k_methods.count(op.name.GetString())) continue;
      std::set<std::string> declared = item_params;
      add_params(op.value, declared);
      INFO(op.name.GetString() << " " << templ << ": path parameters in the template and declared must agree");
      CHECK(declared == in_template);
      CHECK(op.value.HasMember("operationId"));
      REQUIRE(op.value.HasMember("responses"));
      CHECK(op.value["responses"].MemberCount() > 0);
    }
  }
}

TEST_CASE("openapi: every $ref resolves and every schema keyword is one the contract checker understands") {
  const OpenApiContract& contract = OpenApiContract::embedded();
  std::set<std::string> refs;
  collect_refs(contract.document(), refs);
  CHECK(refs.size() > 20);
  for (const std::string& ref : refs) {
    INFO("unresolvable $ref in api/openapi.json: " << ref);
    CHECK(contract.resolve(ref) != nullptr);
  }
  for (const std::string& keyword : contract.unsupported_keywords()) {
    // tests/support/openapi_contract.cpp would not check it: teach it first.
    FAIL_CHECK("api/openapi.json uses a schema keyword the contract checker does not understand: " << keyword);
  }
}

TEST_CASE("openapi: the contract checker catches what does not match") {
  const OpenApiContract& contract = OpenApiContract::embedded();
  const std::string traces = "/api/v1/file/aeed71342a899fe4b4c57b7d41bcb692/traces";
  const std::string good_trace =
      R"({"trace_id":2,"identity_uuid":null,"name":null,"label":"face","first_frame":0,"last_frame":9,)"
      R"("face_count":10,"thumbnail_url":"/t","representative_face_url":"/r"})";
  auto check = [&](const char* method, const std::string& target, int status, const std::string& content_type,
                   const std::string& body, httplib::Headers headers = {}) {
    if (!content_type.empty()) headers.emplace("Content-Type", content_type);
    return contract.check_response(method, target, status, headers, body);
  };
  auto page = [](const std::string& trace) {
    return R"({"success":true,"file_uuid":"aeed71342a899fe4b4c57b7d41bcb692","traces":[)" + trace +
           R"(],"next_cursor":null})";
  };

  SUBCASE("a documented answer passes") {
    CHECK(check("GET", traces + "?limit=5", 200, "application/json", page(good_trace)).empty());
    CHECK(check("HEAD", traces, 200, "application/json", "").empty());
    CHECK(check("GET", traces, 400, "application/json",
                R"({"success":false,"error":{"code":"bad_cursor","message":"cursor is bad"}})")
              .empty());
    CHECK(check("GET", "/api/v1/file/x/video", 206, "multipart/byteranges; boundary=x", "--x").empty());
    CHECK(check("GET", "/api/v1/file/x/video", 200, "video/x-matroska", "bytes").empty());
  }
  SUBCASE("a missing member, a wrong type, an extra member, a bad enum value") {
    std::string missing = good_trace;
    missing.replace(missing.find(R"("label":"face",)"), 15, "");
    auto errors = check("GET", traces, 200, "application/json", page(missing));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("missing required member \"label\"") != std::string::npos);
    CHECK(errors[0].find("GET /api/v1/file/{file_uuid}/traces 200") != std::string::npos);

    std::string wrong = good_trace;
    wrong.replace(wrong.find(R"("face_count":10)"), 15, R"("face_count":"10")");
    errors = check("GET", traces, 200, "application/json", page(wrong));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("$.traces[0].face_count: expected integer, got string") != std::string::npos);

    std::string extra = good_trace;
    extra.insert(1, R"("colour":"red",)");
    errors = check("GET", traces, 200, "application/json", page(extra));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("$.traces[0].colour: member not in the documented schema") != std::string::npos);

    errors = check("GET", traces, 400, "application/json",
                   R"({"success":false,"error":{"code":"no_such_code","message":"m"}})");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("\"no_such_code\" is not one of the documented values") != std::string::npos);
  }
  SUBCASE("an undocumented status or media type, a body that is not JSON") {
    auto errors = check("GET", traces, 418, "application/json", "{}");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("answered 418, which the document does not list") != std::string::npos);
    errors = check("GET", traces, 200, "text/html", "<p>");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("Content-Type text/html") != std::string::npos);
    CHECK_FALSE(check("GET", traces, 200, "application/json", "{").empty());
  }
  SUBCASE("documented headers must match their schemas when present") {
    const std::string thumbnail = "/api/v1/file/aeed71342a899fe4b4c57b7d41bcb692/thumbnail?frame=3";
    CHECK(check("GET", thumbnail, 200, "image/jpeg", "jpeg", {{"X-Frame-Number", "3"}, {"ETag", "\"e\""}}).empty());
    auto errors = check("GET", thumbnail, 200, "image/jpeg", "jpeg", {{"X-Frame-Number", "three"}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("header X-Frame-Number: expected integer") != std::string::npos);
    errors = check("GET", "/api/v1/file/aeed71342a899fe4b4c57b7d41bcb692/clip", 200, "video/mp2t", "ts",
                   {{"Accept-Ranges", "bytes"}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("header Accept-Ranges") != std::string::npos);
  }
  SUBCASE("undocumented paths and methods are checked as errors only") {
    CHECK(check("POST", traces, 405, "application/json",
                R"({"success":false,"error":{"code":"method_not_allowed","message":"m"}})")
              .empty());
    CHECK_FALSE(check("GET", "/nowhere", 404, "application/json", R"({"error":"x"})").empty());
  }
  SUBCASE("the schema subset: null via type arrays, oneOf, numbers that are integers, patterns") {
    auto schema = parse(R"({"type":"object","required":["a"],"properties":{
        "a":{"type":["integer","null"],"minimum":1},
        "b":{"oneOf":[{"type":"string","pattern":"^x+$"},{"type":"number","exclusiveMaximum":5}]}}})");
    CHECK(contract.validate(schema, parse(R"({"a":null})")).empty());
    CHECK(contract.validate(schema, parse(R"({"a":2.0,"b":"xx"})")).empty());
    CHECK(contract.validate(schema, parse(R"({"a":1,"b":4.5})")).empty());
    CHECK(contract.validate(schema, parse(R"({"a":0})")).size() == 1);
    CHECK(contract.validate(schema, parse(R"({"a":1.5})")).size() == 1);
    CHECK(contract.validate(schema, parse(R"({"a":1,"b":"xy"})")).size() == 1);
    CHECK(contract.validate(schema, parse(R"({"a":1,"b":5})")).size() == 1);
    CHECK(contract.validate(schema, parse(R"({"b":1})")).size() == 1);
  }
}

TEST_CASE("openapi: route paths normalize the same from the router and from the document") {
  CHECK(normalize_route_path("/api/v1/file/([^/]+)/trace/([^/]+)/video") == "/api/v1/file/{}/trace/{}/video");
  CHECK(normalize_route_path("/api/v1/file/{file_uuid}/trace/{trace_id}/video") == "/api/v1/file/{}/trace/{}/video");
  CHECK(normalize_route_path("/api/v1/openapi\\.json") == "/api/v1/openapi.json");
  CHECK(normalize_route_path("/ui/(.*)") == "/ui/{}");
  CHECK(http::openapi_document().substr(0, 1) == "{");
}
