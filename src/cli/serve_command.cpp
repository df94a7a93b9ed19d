// frameserve serve — runs the HTTP server until SIGINT/SIGTERM.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>
#include <utility>

#include "app/config.hpp"
#include "app/server_options.hpp"
#include "cli/cli_context.hpp"
#include "common/log.hpp"
#include "db/migrations.hpp"
#include "http/server.hpp"

namespace frameserve::cli {

namespace {

int serve(app::ServerConfig config) {
  // glibc raises its mmap threshold to the largest mapped block freed so far
  // (up to 32 MB). After the first large import, an import's blocks (48 MB
  // of validated detections for a million) came from the handling thread's
  // arena instead, whose free top glibc keeps (malloc_trim trims only the
  // main arena's top): the server stayed ~50 MB larger after its second
  // import. A fixed threshold keeps every block of 1 MB or more in a mapping
  // of its own, returned when freed.
  ::mallopt(M_MMAP_THRESHOLD, 1 << 20);
  // The flags' "0: number of cores" and "0: 4 per slot" resolved once,
  // for the services and for the log line below alike.
  config = app::with_machine_defaults(std::move(config));
  auto app = app::AppContext::create(app::app_options_for(config));
  if (!app) return report_error(app.error());

  // A database that is down at start-up is not fatal: requests get 503 until
  // it comes back. An outdated schema is worth saying loudly.
  if (Status schema = db::check_schema_current(app.value()->database()); !schema) {
    log::warn(schema.error().message);
  }
  if (config.accel_redirect && config.media_roots.empty()) {
    log::warn("--accel-redirect without --media-root: every file is still sent by frameserve");
  }
  if (config.jwt_secret.empty()) log::info("no JWT secret configured: only X-API-Key authentication is accepted");
  if (!config.jwt_secret.empty() && config.jwt_allow_no_exp) {
    log::warn("--jwt-allow-no-exp: JWTs without \"exp\" are accepted and never expire");
  }

  // Signals are handled by one thread with sigwait; every other thread
  // (including httplib's workers, created below) inherits the blocked mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  http::HttpServer server(*app.value(), config);
  auto port = server.bind();
  if (!port) return report_error(port.error());
  std::printf("frameserve listening on http://%s:%d\n", config.host.c_str(), port.value());
  std::fflush(stdout);
  log::info("listening on " + config.host + ":" + std::to_string(port.value()) + " with " +
            std::to_string(std::min(http::HttpServer::stream_limit_for(config.threads), config.max_connections)) +
            " streams, up to " + std::to_string(config.max_connections) + " connections, " +
            std::to_string(config.max_jobs) + " ffmpeg job slots");

  int drain_secs = config.drain_timeout_secs;
  std::thread signal_waiter([&server, stop_signals, drain_secs] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    log::info(std::string("received ") + (signal_number == SIGINT ? "SIGINT" : "SIGTERM") + ", draining for up to " +
              std::to_string(drain_secs) + " s");
    server.drain_and_stop(std::chrono::seconds(drain_secs));
  });
  server.serve();
  // serve() also returns on a listen error; make sure the waiter ends.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  log::info("stopped");
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, CliContext& ctx) {
  auto config = std::make_shared<app::ServerConfig>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTTP API");
  // Numeric settings parse as strictly as query parameters (cli_context.hpp).
  auto whole = [cmd](const char* flag, auto& value, const char* help, const char* env, int64_t min, int64_t max) {
    whole_number_option(cmd->add_option(flag, value, help)->envname(env), min, max)->capture_default_str();
  };
  auto decimal = [cmd](const char* flag, double& value, const char* help, const char* env, double min, double max) {
    decimal_number_option(cmd->add_option(flag, value, help)->envname(env), min, max)->capture_default_str();
  };
  cmd->add_option("--host", config->host, "Address to listen on")->envname("FRAMESERVE_HOST")->capture_default_str();
  whole("--port", config->port, "Port (0: any free port, printed at start)", "FRAMESERVE_PORT", 0, 65535);
  cmd->add_option("--jwt-secret", config->jwt_secret, "Secret for HS256 bearer tokens (empty: API keys only)")
      ->envname("FRAMESERVE_JWT_SECRET");
  cmd->add_flag("--jwt-allow-no-exp", config->jwt_allow_no_exp,
                "Accept JWTs without \"exp\" (they never expire); by default they are refused")
      ->envname("FRAMESERVE_JWT_ALLOW_NO_EXP");
  whole("--threads", config->threads, "Sizes streams: at most threads minus a reserve stream at once",
        "FRAMESERVE_THREADS", 4, 4096);
  whole("--max-connections", config->max_connections,
        "Connections served at once (a thread each, started on demand); beyond it 503", "FRAMESERVE_MAX_CONNECTIONS", 8,
        65536);
  whole("--header-timeout", config->header_timeout_secs,
        "Seconds a request's head may take to arrive, however slowly it trickles", "FRAMESERVE_HEADER_TIMEOUT", 1,
        3600);
  whole("--max-queue", config->max_queue, "Requests that may wait for a job slot (0: 4 per slot)",
        "FRAMESERVE_MAX_QUEUE", 0, 100000);
  whole("--max-jobs", config->max_jobs, "Concurrent ffmpeg jobs (0: number of cores)", "FRAMESERVE_MAX_JOBS", 0, 1024);
  whole("--stream-reserve", config->stream_reserve, "Job slots kept free of long streams", "FRAMESERVE_STREAM_RESERVE",
        0, 1024);
  whole("--queue-wait-ms", config->queue_wait_ms, "How long a request waits for a job slot before 503",
        "FRAMESERVE_QUEUE_WAIT_MS", 0, 600000);
  whole("--ffmpeg-nice", config->ffmpeg_nice,
        "CPU niceness of ffmpeg children: encodes never delay answers such as 503 or /healthz",
        "FRAMESERVE_FFMPEG_NICE", 0, 19);
  whole("--job-timeout", config->job_timeout_secs, "Deadline of short ffmpeg jobs, seconds", "FRAMESERVE_JOB_TIMEOUT",
        1, 86400);
  whole("--stream-timeout", config->stream_timeout_secs, "Deadline of a stream, seconds", "FRAMESERVE_STREAM_TIMEOUT",
        1, 7 * 86400);
  whole("--write-timeout", config->write_timeout_secs, "Seconds a client may stop reading before it is cut",
        "FRAMESERVE_WRITE_TIMEOUT", 1, 86400);
  whole("--drain-timeout", config->drain_timeout_secs,
        "On SIGTERM/SIGINT: seconds running jobs may take to finish; streams end then", "FRAMESERVE_DRAIN_TIMEOUT", 0,
        3600);
  cmd->add_option("--instance-name", config->instance_name,
                  "Sent as X-Served-By on every response (tell instances apart behind nginx)")
      ->envname("FRAMESERVE_INSTANCE_NAME");
  decimal("--hls-segment-seconds", config->hls_segment_seconds,
          "Longest segment of a format=hls playlist, seconds (segments are cut on frame boundaries)",
          "FRAMESERVE_HLS_SEGMENT_SECONDS", 0.5, 6.0);
  cmd->add_option("--cache-dir", config->cache_dir,
                  "Directory of rendered HLS segments (default: <temp dir>/frameserve-segments)")
      ->envname("FRAMESERVE_CACHE_DIR");
  whole("--cache-max-bytes", config->cache_max_bytes,
        "Bytes of rendered HLS segments kept; the least recently used go first", "FRAMESERVE_CACHE_MAX_BYTES",
        int64_t{1} << 20, int64_t{1} << 50);
  whole("--db-pool", config->db_pool_size, "Database connections", "FRAMESERVE_DB_POOL", 1, 256);
  cmd->add_option("--x264-preset", config->x264_preset, "libx264 preset for re-encoded streams")
      ->envname("FRAMESERVE_X264_PRESET")
      ->check(CLI::IsMember({"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow"}))
      ->capture_default_str();
  cmd->add_flag("--accel-redirect", config->accel_redirect,
                "Behind nginx: hand whole files under a --media-root to nginx with X-Accel-Redirect")
      ->envname("FRAMESERVE_ACCEL_REDIRECT");
  cmd->add_option("--media-root", config->media_roots,
                  "Directory whose files nginx may send and POST /api/v1/files may register (repeatable)")
      ->envname("FRAMESERVE_MEDIA_ROOT")
      ->check(CLI::ExistingDirectory);
  whole("--max-upload-bytes", config->max_upload_bytes,
        "Largest request body (detection imports) in bytes; beyond it 413", "FRAMESERVE_MAX_UPLOAD_BYTES", 1,
        int64_t{1} << 40);
  auto trusted = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--trusted-proxy", *trusted,
                  "CIDR of a proxy whose X-Forwarded-For/X-Real-IP the access log believes (repeatable)")
      ->envname("FRAMESERVE_TRUSTED_PROXY")
      ->check([](const std::string& text) {
        return IpNetwork::parse(text) ? std::string()
                                      : "not an IPv4/IPv6 address or CIDR (e.g. 10.0.0.0/8, ::1/128): " + text;
      });
  CLI::Option* level = app.get_option("--log-level");
  cmd->callback([&ctx, config, level, trusted] {
    ctx.action = [&ctx, config, level, trusted] {
      if (level->count() == 0 && std::getenv("FRAMESERVE_LOG_LEVEL") == nullptr) log::set_level(log::Level::info);
      config->db_conninfo = ctx.db;
      for (const std::string& text : *trusted) config->trusted_proxies.push_back(*IpNetwork::parse(text));
      return serve(*config);
    };
  });
}

}  // namespace frameserve::cli
