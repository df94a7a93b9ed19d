// The documentation is checked like code: docs/api.md names every endpoint
// and query parameter of api/openapi.json, and no page of the README or
// docs/ points at a file the repository does not contain.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_env.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The Markdown pages a reader is sent to: the README and every docs/ page.
std::vector<fs::path> markdown_pages() {
  fs::path root = frameserve::testing::repo_root();
  std::vector<fs::path> pages = {root / "README.md"};
  for (const auto& entry : fs::directory_iterator(root / "docs")) {
    if (entry.path().extension() == ".md") pages.push_back(entry.path());
  }
  return pages;
}

// "/api/v1/file/{file_uuid}/video" as the docs write it: "/api/v1/file/:file_uuid/video".
std::string colon_form(const std::string& openapi_path) {
  return std::regex_replace(openapi_path, std::regex(R"(\{(\w+)\})"), ":$1");
}

}  // namespace

TEST_CASE("docs/api.md names every endpoint and query parameter of the OpenAPI document") {
  fs::path root = frameserve::testing::repo_root();
  std::string api = read_text(root / "docs/api.md");
  REQUIRE_FALSE(api.empty());
  std::string all_docs;
  for (const fs::path& page : markdown_pages()) all_docs += read_text(page);

  std::string openapi_text = read_text(root / "api/openapi.json");
  rapidjson::Document openapi;
  openapi.Parse<rapidjson::kParseIterativeFlag>(openapi_text.data(), openapi_text.size());
  REQUIRE_FALSE(openapi.HasParseError());
  REQUIRE(openapi.HasMember("paths"));
  const rapidjson::Value* shared_parameters = nullptr;
  if (openapi.HasMember("components") && openapi["components"].HasMember("parameters")) {
    shared_parameters = &openapi["components"]["parameters"];
  }
  auto resolve = [&](const rapidjson::Value& parameter) -> const rapidjson::Value* {
    if (!parameter.HasMember("$ref")) return &parameter;
    std::string ref = parameter["$ref"].GetString();
    std::string name = ref.substr(ref.rfind('/') + 1);
    if (shared_parameters == nullptr || !shared_parameters->HasMember(name.c_str())) return nullptr;
    return &(*shared_parameters)[name.c_str()];
  };

  int endpoints = 0;
  for (auto path = openapi["paths"].MemberBegin(); path != openapi["paths"].MemberEnd(); ++path) {
    std::string documented = colon_form(path->name.GetString());
    bool named = api.find("`" + documented) != std::string::npos || api.find(" " + documented) != std::string::npos;
    CHECK_MESSAGE(named, "docs/api.md does not name ", documented);
    for (auto op = path->value.MemberBegin(); op != path->value.MemberEnd(); ++op) {
      if (!op->value.IsObject() || !op->value.HasMember("responses")) continue;
      ++endpoints;
      if (!op->value.HasMember("parameters")) continue;
      for (const auto& listed : op->value["parameters"].GetArray()) {
        const rapidjson::Value* parameter = resolve(listed);
        REQUIRE(parameter != nullptr);
        if (std::string((*parameter)["in"].GetString()) != "query") continue;
        std::string name = (*parameter)["name"].GetString();
        bool mentioned =
            all_docs.find("`" + name) != std::string::npos || all_docs.find(name + "=") != std::string::npos;
        CHECK_MESSAGE(mentioned, "the docs do not name the parameter ", name, " of ", documented);
      }
    }
  }
  CHECK(endpoints > 20);
}

TEST_CASE("the README and docs/ point only at files the repository holds") {
  fs::path root = frameserve::testing::repo_root();
  // Markdown links to relative targets, and repository paths in backticks.
  std::regex link(R"(\]\(([^)#\s]+)(#[^)]*)?\))");
  std::regex code_path(R"(`((?:src|tests|scripts|sql|api|web|fixtures|docs|tools)/[A-Za-z0-9_./-]+)`)");
  int checked = 0;
  for (const fs::path& page : markdown_pages()) {
    std::string text = read_text(page);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), link); it != std::sregex_iterator(); ++it) {
      std::string target = (*it)[1];
      if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) continue;
      ++checked;
      CHECK_MESSAGE(fs::exists(page.parent_path() / target), page.filename().string(), " links to missing ", target);
    }
    for (auto it = std::sregex_iterator(text.begin(), text.end(), code_path); it != std::sregex_iterator(); ++it) {
      std::string target = (*it)[1];
      // Installed trees are made by the build, not kept; NAME-like segments
      // are placeholders ("tests/fuzz/corpus/NAME").
      static const std::regex placeholder(R"((^|/)[A-Z_]+(\.\w+)?(/|$))");
      if (target.find("node_modules") != std::string::npos || target.find('*') != std::string::npos ||
          std::regex_search(target, placeholder)) {
        continue;
      }
      ++checked;
      CHECK_MESSAGE(fs::exists(root / target), page.filename().string(), " names missing ", target);
    }
  }
  CHECK(checked > 10);
}
