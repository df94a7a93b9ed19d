#include "app/server_options.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace frameserve::app {

ServerConfig with_machine_defaults(ServerConfig config) {
  if (config.max_jobs <= 0) config.max_jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (config.threads < 4) config.threads = 4;
  // A bounded queue: beyond it a request gets 503 at once instead of waiting
  // for a slot it would likely not get within --queue-wait-ms.
  if (config.max_queue <= 0) config.max_queue = 4 * config.max_jobs;
  return config;
}

AppOptions app_options_for(const ServerConfig& given) {
  const ServerConfig config = with_machine_defaults(given);
  AppOptions options;
  options.db_conninfo = config.db_conninfo;
  options.db_pool_size = config.db_pool_size;
  options.max_jobs = config.max_jobs;
  options.stream_reserve = config.stream_reserve;
  options.max_queue = config.max_queue;
  options.timeouts.queue_wait = std::chrono::milliseconds(config.queue_wait_ms);
  options.timeouts.short_deadline = std::chrono::seconds(config.job_timeout_secs);
  options.timeouts.stream_deadline = std::chrono::seconds(config.stream_timeout_secs);
  options.jwt_secret = config.jwt_secret;
  options.jwt_policy.allow_no_exp = config.jwt_allow_no_exp;
  options.encoder.x264_preset = config.x264_preset;
  options.cache_dir = config.cache_dir;
  options.cache_max_bytes = config.cache_max_bytes;
  options.ffmpeg_nice = config.ffmpeg_nice;
  return options;
}

AppOptions one_shot_options(const std::string& db_conninfo, const std::string& jwt_secret) {
  AppOptions options;
  options.db_conninfo = db_conninfo;
  options.db_pool_size = 2;
  options.max_jobs = 0;
  options.jwt_secret = jwt_secret;
  options.timeouts.short_deadline = std::chrono::minutes(10);
  options.ffmpeg_nice = 0;
  return options;
}

}  // namespace frameserve::app
