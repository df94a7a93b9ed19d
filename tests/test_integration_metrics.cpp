// GET /metrics: Prometheus text format 0.0.4, checked with the real parser
// (python3-prometheus-client, via tests/metrics_parse.py), counters that
// move with the requests that feed them, and nginx not exposing it.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <map>
#include <string>
#include <thread>

#include "http/router.hpp"
#include "support/nginx_server.hpp"
#include "support/skip_or_fail.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"
#include "support/wait_until.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {

struct Parsed {
  bool ok = false;
  std::string error;
  std::map<std::string, std::string> families;  // name → type
  std::map<std::string, double> samples;        // name{k=v,...} → value

  double value(const std::string& key) const {
    auto it = samples.find(key);
    return it == samples.end() ? 0.0 : it->second;
  }
};

// Parses Prometheus text with prometheus_client's parser.
Parsed parse_metrics(const std::string& text) {
  Parsed parsed;
  CommandResult run = run_command({"/usr/bin/python3", repo_root() + "/tests/metrics_parse.py"}, text);
  if (run.exit_code != 0) {
    parsed.error = run.err;
    return parsed;
  }
  rapidjson::Document doc;
  doc.Parse(run.out.c_str());
  if (doc.HasParseError() || !doc.IsObject()) {
    parsed.error = "unreadable parser output: " + run.out;
    return parsed;
  }
  for (auto& f : doc["families"].GetObject()) parsed.families[f.name.GetString()] = f.value.GetString();
  for (auto& s : doc["samples"].GetObject()) parsed.samples[s.name.GetString()] = s.value.GetDouble();
  parsed.ok = true;
  return parsed;
}

bool prometheus_client_available() {
  return run_command({"/usr/bin/python3", "-c", "import prometheus_client.parser"}).exit_code == 0;
}

Parsed scrape(httplib::Client& client) {
  auto res = client.Get("/metrics");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type").find("text/plain; version=0.0.4") == 0);
  Parsed parsed = parse_metrics(res->body);
  INFO(parsed.error);
  REQUIRE(parsed.ok);
  return parsed;
}

// Scrapes until `done` holds (wait_until): a request is counted by the
// access logger after its response went out, so a scrape on another
// connection may come a moment before the count.
template <typename Done>
Parsed scrape_until(httplib::Client& client, Done done) {
  Parsed parsed;
  wait_until(
      [&] {
        parsed = scrape(client);
        return done(parsed);
      },
      k_patience, std::chrono::milliseconds(50));
  return parsed;
}

const std::string k_thumbnail_route = "/api/v1/file/:file_uuid/thumbnail";
}  // namespace

TEST_CASE("route templates name captures, never raw paths") {
  CHECK(http::Router::template_of("/api/v1/file/([^/]+)/thumbnail") == k_thumbnail_route);
  CHECK(http::Router::template_of("/api/v1/file/([^/]+)/trace/([^/]+)/video") ==
        "/api/v1/file/:file_uuid/trace/:trace_id/video");
  CHECK(http::Router::template_of("/api/v1/file/([^/]+)/identities/([^/]+)/co-occur-with/([^/]+)") ==
        "/api/v1/file/:file_uuid/identities/:identity_uuid/co-occur-with/:other_identity_uuid");
  CHECK(http::Router::template_of("/healthz") == "/healthz");
}

TEST_CASE("/metrics parses as Prometheus text and its counters move with requests") {
  if (!prometheus_client_available()) {
    skip_or_fail("python3-prometheus-client is missing (scripts/install_deps.sh installs it)");
    return;
  }
  TestServer server;
  auto client = server.client();
  const std::string& uuid = registered_fixture("long.mp4");
  httplib::Headers headers = key_headers(all_files_key());

  REQUIRE(client.Get("/healthz"));
  Parsed before = scrape(client);
  // Every family of the catalogue, with its type (checked once the
  // requests below have fed the per-route ones).
  std::map<std::string, std::string> expected = {
      {"frameserve_http_requests", "counter"},
      {"frameserve_http_request_duration_seconds", "histogram"},
      {"frameserve_stream_time_to_first_byte_seconds", "histogram"},
      {"frameserve_http_response_bytes", "counter"},
      {"frameserve_streams_open", "gauge"},
      {"frameserve_ffmpeg_jobs_running", "gauge"},
      {"frameserve_ffmpeg_jobs_queued", "gauge"},
      {"frameserve_ffmpeg_jobs_rejected", "counter"},
      {"frameserve_ffmpeg_jobs_timed_out", "counter"},
      {"frameserve_ffmpeg_jobs_client_aborted", "counter"},
      {"frameserve_ffmpeg_jobs_failed", "counter"},
      {"frameserve_ffmpeg_job_duration_seconds", "histogram"},
      {"frameserve_db_pool_connections_in_use", "gauge"},
      {"frameserve_db_pool_waiting", "gauge"},
      {"frameserve_face_memo_hits", "counter"},
      {"frameserve_face_memo_misses", "counter"},
      {"frameserve_segment_cache_hits", "counter"},
      {"frameserve_segment_cache_misses", "counter"},
      {"frameserve_segment_cache_bytes", "gauge"},
  };
  CHECK(before.samples.count("frameserve_ffmpeg_jobs_queued{}") == 1);
  CHECK(before.samples.count("frameserve_db_pool_connections_in_use{}") == 1);

  const std::string requests_200 = "frameserve_http_requests_total{route=" + k_thumbnail_route + ",status=200}";
  const std::string requests_400 = "frameserve_http_requests_total{route=" + k_thumbnail_route + ",status=400}";
  const std::string job_count = "frameserve_ffmpeg_job_duration_seconds_count{kind=short}";
  const std::string duration_count = "frameserve_http_request_duration_seconds_count{route=" + k_thumbnail_route + "}";
  auto thumb = client.Get(("/api/v1/file/" + uuid + "/thumbnail?frame=700").c_str(), headers);
  REQUIRE(thumb);
  CHECK(thumb->status == 200);
  auto bad = client.Get(("/api/v1/file/" + uuid + "/thumbnail?frame=-1").c_str(), headers);
  REQUIRE(bad);
  CHECK(bad->status == 400);
  auto unknown = client.Get("/no/such/endpoint");
  REQUIRE(unknown);

  Parsed after = scrape_until(client, [&](const Parsed& p) {
    return p.value(requests_200) > before.value(requests_200) && p.value(requests_400) > before.value(requests_400) &&
           p.value("frameserve_http_requests_total{route=unrouted,status=404}") >= 1;
  });
  CHECK(after.value(requests_200) - before.value(requests_200) == 1);
  CHECK(after.value(requests_400) - before.value(requests_400) == 1);
  CHECK(after.value(duration_count) - before.value(duration_count) == 2);
  CHECK(after.value(job_count) - before.value(job_count) >= 1);
  CHECK(after.value("frameserve_http_response_bytes_total{}") -
            before.value("frameserve_http_response_bytes_total{}") >=
        static_cast<double>(thumb->body.size()));
  // An unknown path is counted under one label, never under its own.
  CHECK(after.value("frameserve_http_requests_total{route=unrouted,status=404}") >= 1);
  for (const auto& [key, value] : after.samples) CHECK(key.find("/no/such") == std::string::npos);
  CHECK(after.value("frameserve_ffmpeg_jobs_running{kind=short}") == 0);

  // A stream: time to first byte, a stream job.
  const std::string clip_route = "/api/v1/file/:file_uuid/clip";
  auto clip = client.Get(("/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=9").c_str(), headers);
  REQUIRE(clip);
  CHECK(clip->status == 200);
  // Face selection: a miss or a hit each time, and a repeat is a hit.
  auto traces = client.Get(("/api/v1/file/" + uuid + "/traces?limit=1").c_str(), headers);
  REQUIRE(traces);
  REQUIRE(traces->status == 200);
  rapidjson::Document doc;
  doc.Parse(traces->body.c_str());
  REQUIRE(doc["traces"].Size() >= 1);
  std::string trace_id = std::to_string(doc["traces"][0]["trace_id"].GetInt64());
  std::string face_path = "/api/v1/file/" + uuid + "/trace/" + trace_id + "/representative-face";
  for (int i = 0; i < 2; ++i) {
    auto face = client.Get(face_path.c_str(), headers);
    REQUIRE(face);
    CHECK(face->status == 200);
  }
  const std::string face_count =
      "frameserve_http_requests_total{route=/api/v1/file/:file_uuid/trace/:trace_id/representative-face,status=200}";
  const std::string stream_jobs = "frameserve_ffmpeg_job_duration_seconds_count{kind=stream}";
  Parsed last = scrape_until(client, [&](const Parsed& p) {
    return p.value(face_count) - after.value(face_count) >= 2 && p.value(stream_jobs) > after.value(stream_jobs);
  });
  for (const auto& [name, type] : expected) {
    INFO(name);
    auto found = last.families.find(name);
    REQUIRE(found != last.families.end());
    CHECK(found->second == type);
  }
  CHECK(last.value("frameserve_stream_time_to_first_byte_seconds_count{route=" + clip_route + "}") -
            after.value("frameserve_stream_time_to_first_byte_seconds_count{route=" + clip_route + "}") ==
        1);
  CHECK(last.value("frameserve_ffmpeg_job_duration_seconds_count{kind=stream}") -
            after.value("frameserve_ffmpeg_job_duration_seconds_count{kind=stream}") ==
        1);
  double memo_before =
      after.value("frameserve_face_memo_hits_total{}") + after.value("frameserve_face_memo_misses_total{}");
  double memo_after =
      last.value("frameserve_face_memo_hits_total{}") + last.value("frameserve_face_memo_misses_total{}");
  CHECK(memo_after - memo_before == 2);
  CHECK(last.value("frameserve_face_memo_hits_total{}") - after.value("frameserve_face_memo_hits_total{}") >= 1);
}

TEST_CASE("/metrics is not exposed through the generated nginx config") {
  TestServer server;
  ProxyTarget target;
  target.upstream_port = server.port();
  std::unique_ptr<NginxServer> nginx;
  try {
    nginx = std::make_unique<NginxServer>(generated_proxy_config, &target);
  } catch (const std::exception& e) {
    skip_or_fail(std::string("nginx could not start: ") + e.what());
    return;
  }
  httplib::Client direct = server.client();
  auto own = direct.Get("/metrics");
  REQUIRE(own);
  CHECK(own->status == 200);
  httplib::Client proxied("127.0.0.1", nginx->port());
  auto through = proxied.Get("/metrics");
  REQUIRE(through);
  CHECK(through->status == 404);
  CHECK(through->body.find("frameserve_") == std::string::npos);
  auto ready = proxied.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
}
