// ServerConfig: every setting of `frameserve serve`. Each has a flag and a
// FRAMESERVE_* environment variable (the flag wins); see the README.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/ip_network.hpp"

namespace frameserve::app {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string db_conninfo;  // empty: app::default_conninfo()
  std::string jwt_secret;   // empty: Bearer tokens are refused
  // Accept JWTs without "exp" (valid forever). Off: such tokens are refused.
  bool jwt_allow_no_exp = false;
  // HTTP worker threads. Every open stream holds one for its whole length.
  int threads = 32;
  // Connections served at once (a thread each, started on demand); beyond
  // it a connection is answered 503 at once.
  int max_connections = 1024;
  // A request's head must arrive within this, however slowly it trickles.
  int header_timeout_secs = 10;
  // Requests that may wait for a job slot; 0 means 4 per slot.
  int max_queue = 0;
  // Concurrent ffmpeg jobs; 0 means the number of cores.
  int max_jobs = 0;
  // Job slots kept free of long streams for short jobs (thumbnails).
  int stream_reserve = 1;
  int queue_wait_ms = 5000;
  int job_timeout_secs = 60;
  int stream_timeout_secs = 6 * 3600;
  // How long a client may stop reading before its stream is cut.
  int write_timeout_secs = 120;
  // SIGTERM/SIGINT: how long running jobs may finish; streams end then.
  int drain_timeout_secs = 10;
  // Sent as X-Served-By on every response when set (which instance answered).
  std::string instance_name;
  int db_pool_size = 8;
  std::string x264_preset = "veryfast";
  int ffmpeg_nice = 10;
  // Longest HLS segment (format=hls), seconds; at most 6.
  double hls_segment_seconds = 6.0;
  // The disk cache of rendered HLS segments (empty: <temp dir>/frameserve-segments).
  std::string cache_dir;
  uint64_t cache_max_bytes = 1ULL << 30;
  std::string log_level = "info";
  // Request bodies (detection imports) beyond this many bytes get 413.
  int64_t max_upload_bytes = int64_t{1} << 30;
  // Behind nginx: answer whole-file /video with X-Accel-Redirect for files
  // under one of `media_roots`, so nginx sends them with sendfile.
  bool accel_redirect = false;
  // Also the only directories POST /api/v1/files may register files from
  // (after resolving symlinks); none: registration over HTTP is off.
  std::vector<std::string> media_roots;
  // Direct peers whose X-Forwarded-For / X-Real-IP the access log believes.
  std::vector<IpNetwork> trusted_proxies;
};

}  // namespace frameserve::app
