// Scale-out (issue 10 §4): three frameserve instances on one PostgreSQL,
// nginx from the generated config in front (consistent hash by file uuid),
// a mixed load of thumbnails, faces and streams over several files, and one
// instance killed with SIGKILL mid-run. Every request not in flight on the
// dead instance succeeds, a stream in flight on a survivor completes, the
// dead instance's ffmpeg children die with it, and only its files move.
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "app/nginx_config.hpp"
#include "support/nginx_server.hpp"
#include "support/raw_http.hpp"
#include "support/server_process.hpp"
#include "support/skip_or_fail.hpp"
#include "support/test_env.hpp"
#include "support/test_server.hpp"
#include "support/wait_until.hpp"

using namespace frameserve;
using namespace frameserve::testing;

namespace {

struct Outcome {
  std::string target;
  int status = 0;  // 0: no answer
  std::string served_by;
  bool complete = false;  // the body arrived whole
};

Outcome fetch(int port, const std::string& target) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60, 0);
  Outcome outcome{target, 0, "", false};
  if (auto res = client.Get(target.c_str(), key_headers(all_files_key()))) {
    outcome.status = res->status;
    outcome.served_by = res->get_header_value("X-Served-By");
    outcome.complete = true;
  }
  return outcome;
}

// The mixed load for one file: a thumbnail, a representative face, a short clip.
std::vector<std::string> load_for(const std::string& uuid, const std::string& trace, int round) {
  std::string file = "/api/v1/file/" + uuid;
  return {file + "/thumbnail?frame=" + std::to_string(round * 3 + 1), file + "/trace/" + trace + "/representative-face",
          file + "/clip?start_frame=0&end_frame=" + std::to_string(10 + round)};
}

// A NginxServer::ConfigMaker: the generated configuration with one
// upstream per port in `context` (a std::vector<int>).
std::string several_upstreams_config(const std::string& prefix, int port, const void* context) {
  app::NginxConfigOptions options;
  options.listen = "127.0.0.1:" + std::to_string(port);
  for (int upstream : *static_cast<const std::vector<int>*>(context)) {
    options.upstreams.push_back("127.0.0.1:" + std::to_string(upstream));
  }
  options.prefix = prefix;
  auto text = app::render_nginx_config(options);
  if (!text) throw std::runtime_error(text.error().message);
  return text.value();
}

// Runs `targets` on `threads` threads through nginx; returns every outcome.
std::vector<Outcome> run_load(int port, const std::vector<std::string>& targets, int threads) {
  std::vector<Outcome> outcomes(targets.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < targets.size(); i = next++) outcomes[i] = fetch(port, targets[i]);
    });
  }
  for (auto& worker : workers) worker.join();
  return outcomes;
}
}  // namespace

TEST_CASE("three instances behind nginx: SIGKILL one mid-run, the others carry on and only its files move") {
  const std::vector<std::string> fixtures = {"long.mp4", "bframes.mp4",   "noaudio.mp4",
                                             "vfr.mp4",  "flashbeep.mp4", "emptyedit.mp4"};
  std::vector<std::string> uuids;
  for (const std::string& name : fixtures) uuids.push_back(registered_fixture(name));

  std::vector<std::unique_ptr<ServerProcess>> instances;
  std::map<std::string, size_t> index_of;  // instance name → index
  std::vector<int> upstream_ports;
  try {
    for (int i = 0; i < 3; ++i) {
      std::string name = "fs" + std::to_string(i + 1);
      instances.push_back(std::make_unique<ServerProcess>(std::vector<std::string>{
          "--instance-name", name, "--max-jobs", "4", "--db-pool", "4", "--drain-timeout", "2"}));
      index_of[name] = static_cast<size_t>(i);
      upstream_ports.push_back(instances.back()->port());
    }
  } catch (const std::exception& e) {
    FAIL("frameserve did not start: " << e.what());
  }
  std::unique_ptr<NginxServer> nginx;
  try {
    nginx = std::make_unique<NginxServer>(several_upstreams_config, &upstream_ports);
  } catch (const std::exception& e) {
    skip_or_fail(std::string("nginx could not start: ") + e.what());
    return;
  }
  int port = nginx->port();

  // Warm-up: which instance serves each file, and a trace of each.
  std::map<std::string, std::string> owner;  // uuid → instance name
  std::map<std::string, std::string> trace_of;
  httplib::Client client("127.0.0.1", port);
  for (const std::string& uuid : uuids) {
    auto res = client.Get(("/api/v1/file/" + uuid + "/traces?limit=1").c_str(), key_headers(all_files_key()));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    owner[uuid] = res->get_header_value("X-Served-By");
    REQUIRE(index_of.count(owner[uuid]) == 1);
    rapidjson::Document doc;
    doc.Parse(res->body.c_str());
    REQUIRE(doc["traces"].Size() >= 1);
    trace_of[uuid] = std::to_string(doc["traces"][0]["trace_id"].GetInt64());
  }
  // The victim owns long.mp4, whose full clip stays in flight when it dies.
  const std::string& long_uuid = uuids[0];
  std::string victim = owner[long_uuid];
  ServerProcess& dead = *instances[index_of[victim]];
  std::string survivor_file;
  for (const std::string& uuid : uuids) {
    if (owner[uuid] != victim) survivor_file = uuid;
  }

  // First half of the load: every instance alive; files stay where they are.
  std::vector<std::string> first_half;
  for (const std::string& uuid : uuids) {
    for (auto& t : load_for(uuid, trace_of[uuid], 0)) first_half.push_back(t);
  }
  for (const Outcome& o : run_load(port, first_half, 4)) {
    INFO(o.target);
    CHECK(o.status == 200);
    CHECK(o.complete);
  }

  // In flight at the kill: a stalled stream on the victim (allowed to fail),
  // and a stream on a survivor that must complete.
  RawConnection on_victim(port, "/api/v1/file/" + long_uuid + "/clip?start_frame=0&end_frame=1499",
                          "X-API-Key: " + all_files_key() + "\r\n", ReceiveBuffer::small);
  REQUIRE(on_victim.read_at_least(100, std::chrono::seconds(30)).rfind("HTTP/1.1 200", 0) == 0);
  std::vector<pid_t> victim_ffmpeg = children_named(dead.pid(), "ffmpeg");
  CHECK(victim_ffmpeg.size() >= 1);

  std::atomic<bool> survivor_started{false};
  std::atomic<bool> killed{false};
  int survivor_status = 0;
  bool survivor_complete = false;
  std::string survivor_served_by;
  std::thread survivor_stream;
  if (!survivor_file.empty()) {
    survivor_stream = std::thread([&] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(60, 0);
      std::string body;
      auto res = c.Get(("/api/v1/file/" + survivor_file + "/clip?start_frame=0&end_frame=40").c_str(),
                       key_headers(all_files_key()), [&](const char* data, size_t size) {
                         body.append(data, size);
                         if (!survivor_started.exchange(true)) {
                           // Hold the stream open across the kill.
                           wait_until([&] { return killed.load(); });
                         }
                         return true;
                       });
      if (res) {
        survivor_status = res->status;
        survivor_served_by = res->get_header_value("X-Served-By");
        survivor_complete = !body.empty();
      }
    });
    CHECK(wait_until([&] { return survivor_started.load(); }));
  } else {
    MESSAGE("every file hashed to one instance; no survivor stream to hold across the kill");
  }

  dead.signal(SIGKILL);
  REQUIRE(dead.wait_exit(std::chrono::seconds(10)).has_value());
  killed = true;
  if (survivor_stream.joinable()) survivor_stream.join();
  if (!survivor_file.empty()) {
    CHECK(survivor_status == 200);
    CHECK(survivor_complete);
    CHECK(survivor_served_by == owner[survivor_file]);
  }
  CHECK(still_alive(victim_ffmpeg, std::chrono::seconds(5)).empty());

  // Second half: everything succeeds (nginx retries idempotent GETs on the
  // next instance); survivors keep their files, the victim's move.
  std::vector<std::string> second_half;
  for (const std::string& uuid : uuids) {
    for (auto& t : load_for(uuid, trace_of[uuid], 1)) second_half.push_back(t);
  }
  std::vector<Outcome> after = run_load(port, second_half, 4);
  int moved = 0;
  for (size_t i = 0; i < after.size(); ++i) {
    const Outcome& o = after[i];
    const std::string& uuid = uuids[i / 3];
    INFO(o.target << " served by " << o.served_by << ", owned by " << owner[uuid]);
    CHECK(o.status == 200);
    CHECK(o.complete);
    CHECK(o.served_by != victim);
    if (owner[uuid] != victim) {
      CHECK(o.served_by == owner[uuid]);
    } else {
      ++moved;
    }
  }
  CHECK(moved >= 3);  // long.mp4's requests at least
  // The survivors are still ready.
  for (auto& instance : instances) {
    if (instance.get() == &dead) continue;
    httplib::Client direct("127.0.0.1", instance->port());
    auto ready = direct.Get("/readyz");
    REQUIRE(ready);
    CHECK(ready->status == 200);
  }
}
