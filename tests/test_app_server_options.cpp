// app::app_options_for: every setting of `frameserve serve` reaches the
// services under its own name, and the machine-dependent defaults are
// resolved once (the translation `serve` and the test server share).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "app/server_options.hpp"

using namespace frameserve;
using namespace std::chrono;

namespace {
int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }
}  // namespace

TEST_CASE("server options: serve's defaults") {
  const app::ServerConfig config;
  const app::AppOptions options = app::app_options_for(config);
  CHECK(options.db_conninfo.empty());  // app::default_conninfo() then
  CHECK(options.db_pool_size == 8);
  CHECK(options.max_jobs == cores());
  CHECK(options.stream_reserve == 1);
  CHECK(options.max_queue == 4 * cores());
  CHECK(options.timeouts.queue_wait == milliseconds(5000));
  CHECK(options.timeouts.short_deadline == seconds(60));
  CHECK(options.timeouts.stream_deadline == hours(6));
  CHECK(options.jwt_secret.empty());
  CHECK_FALSE(options.jwt_policy.allow_no_exp);
  CHECK(options.encoder.x264_preset == "veryfast");
  CHECK(options.cache_dir.empty());  // <temp dir>/frameserve-segments then
  CHECK(options.cache_max_bytes == (1ULL << 30));
  CHECK(options.ffmpeg_nice == 10);

  const app::ServerConfig resolved = app::with_machine_defaults(config);
  CHECK(resolved.max_jobs == cores());
  CHECK(resolved.max_queue == 4 * cores());
  CHECK(resolved.threads == 32);
}

TEST_CASE("server options: each setting reaches the services") {
  app::ServerConfig config;
  config.db_conninfo = "host=/tmp dbname=x";
  config.db_pool_size = 3;
  config.max_jobs = 5;
  config.stream_reserve = 2;
  config.max_queue = 7;
  config.queue_wait_ms = 250;
  config.job_timeout_secs = 9;
  config.stream_timeout_secs = 11;
  config.jwt_secret = "s3cret";
  config.jwt_allow_no_exp = true;
  config.x264_preset = "slow";
  config.cache_dir = "/var/cache/frameserve";
  config.cache_max_bytes = 12345678;
  config.ffmpeg_nice = 3;
  const app::AppOptions options = app::app_options_for(config);
  CHECK(options.db_conninfo == "host=/tmp dbname=x");
  CHECK(options.db_pool_size == 3);
  CHECK(options.max_jobs == 5);
  CHECK(options.stream_reserve == 2);
  CHECK(options.max_queue == 7);
  CHECK(options.timeouts.queue_wait == milliseconds(250));
  CHECK(options.timeouts.short_deadline == seconds(9));
  CHECK(options.timeouts.stream_deadline == seconds(11));
  CHECK(options.jwt_secret == "s3cret");
  CHECK(options.jwt_policy.allow_no_exp);
  CHECK(options.encoder.x264_preset == "slow");
  CHECK(options.cache_dir == "/var/cache/frameserve");
  CHECK(options.cache_max_bytes == 12345678);
  CHECK(options.ffmpeg_nice == 3);
}

TEST_CASE("server options: machine defaults") {
  app::ServerConfig config;
  config.max_jobs = 3;
  config.threads = 1;
  SUBCASE("a queue of 0 is 4 per job slot") {
    const app::ServerConfig resolved = app::with_machine_defaults(config);
    CHECK(resolved.max_jobs == 3);
    CHECK(resolved.max_queue == 12);
    CHECK(resolved.threads == 4);  // fewer than 4 threads would leave no stream
    CHECK(app::app_options_for(config).max_queue == 12);
  }
  SUBCASE("a given queue is kept") {
    config.max_queue = 2;
    CHECK(app::with_machine_defaults(config).max_queue == 2);
    CHECK(app::app_options_for(config).max_queue == 2);
  }
}

TEST_CASE("server options: a one-shot command") {
  const app::AppOptions options = app::one_shot_options("dbname=y", "k");
  CHECK(options.db_conninfo == "dbname=y");
  CHECK(options.jwt_secret == "k");
  CHECK(options.max_jobs == 0);  // no cap: the command is its own only client
  CHECK(options.db_pool_size == 2);
  CHECK(options.timeouts.short_deadline == minutes(10));
  CHECK(options.ffmpeg_nice == 0);
}
