// Hostile bytes over real HTTP: every error body is valid UTF-8 JSON, also
// when the path or a parameter holds bytes that are not UTF-8 (percent-
// encoded or raw), and it is a 4xx, never a 5xx.
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <chrono>

#include "common/text.hpp"
#include "support/raw_http.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {
struct RawResponse {
  int status = 0;
  std::string body;
};

// Sends `target` as it is (no encoding) and reads the whole answer; the
// server closes the connection after it.
RawResponse raw_get(int port, const std::string& target, const std::string& headers) {
  RawConnection connection(port, target, headers + "Connection: close\r\n");
  std::string response = connection.read_at_least(size_t{1} << 20, std::chrono::seconds(20));
  RawResponse out;
  if (response.rfind("HTTP/1.1 ", 0) == 0 && response.size() >= 12) {
    out.status = static_cast<int>(parse_int64(std::string_view(response).substr(9, 3)).value_or(0));
  }
  size_t head_end = response.find("\r\n\r\n");
  if (head_end != std::string::npos) out.body = response.substr(head_end + 4);
  return out;
}

// The error envelope, parsed with encoding validation: RapidJSON refuses a
// document holding bytes that are not UTF-8.
void check_valid_error_json(const RawResponse& res) {
  CAPTURE(res.body);
  CHECK(res.status >= 400);
  CHECK(res.status < 500);
  CHECK(is_valid_utf8(res.body));
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(res.body.c_str(), res.body.size());
  INFO("parse error: " << (doc.HasParseError() ? rapidjson::GetParseError_En(doc.GetParseError()) : "none"));
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsObject());
  REQUIRE(doc.HasMember("success"));
  CHECK(doc["success"].IsFalse());
  REQUIRE(doc.HasMember("error"));
  REQUIRE(doc["error"].IsObject());
  REQUIRE(doc["error"].HasMember("code"));
  REQUIRE(doc["error"].HasMember("message"));
  CHECK(doc["error"]["message"].GetStringLength() > 0);
}
}  // namespace

TEST_CASE("error bodies are valid UTF-8 JSON whatever bytes the request holds") {
  const std::string& uuid = registered_fixture("noaudio.mp4");
  TestServer server;
  const std::string key = "X-API-Key: " + all_files_key() + "\r\n";
  const std::string file = "/api/v1/file/" + uuid;
  struct Case {
    const char* name;
    std::string target;
    std::string headers;
  };
  const Case cases[] = {
      {"percent-encoded bytes in the file_uuid", "/api/v1/file/%ff%fe/thumbnail?frame=1", key},
      {"raw bytes in the file_uuid", "/api/v1/file/\xff\xfe\xc3/thumbnail?frame=1", key},
      {"a truncated sequence and an overlong form", "/api/v1/file/ab%e2%82%c0%af/video", key},
      {"an encoded surrogate", "/api/v1/file/%ed%a0%80/video", key},
      {"bytes in the frame parameter", file + "/thumbnail?frame=%ff%fe", key},
      {"raw bytes in the frame parameter", file + "/thumbnail?frame=1\xff", key},
      {"bytes in a choice", file + "/thumbnail?frame=1&format=%c3%28", key},
      {"bytes in a range", file + "/clip?start_frame=%80&end_frame=5", key},
      {"bytes in a trace id", file + "/trace/%ff%fe/thumbnail", key},
      {"bytes in identities", file + "/identities/%ff/co-occur-with/%fe%80", key},
      {"bytes in an unknown route", "/api/v1/%ff%fe/nothing", key},
      {"bytes in the access_token", file + "/video?access_token=%ff%fe", ""},
      {"bytes in an access_token key", file + "/video?access_token=fsk_%ff%fe", ""},
      {"bytes in the X-API-Key", file + "/video", "X-API-Key: fsk_\xff\xfe\r\n"},
      {"bytes in a bearer token", file + "/video", "Authorization: Bearer \xff.\xfe.\x80\r\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    check_valid_error_json(raw_get(server.port(), c.target, c.headers));
  }
}
