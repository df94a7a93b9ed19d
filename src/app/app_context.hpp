// AppContext: the long-lived services of one frameserve process, wired once.
//
// Owns the connection pool, the stores, the authenticator, the ffmpeg job
// runner and the services (faces, scenes, discovery, the segment cache and
// the render service every stream goes through), in dependency order. The
// HTTP server and the CLI commands borrow
// them. Thread-safe to the extent of each service (all are).
#pragma once

#include <memory>
#include <string>

#include "auth/authenticator.hpp"
#include "auth/jwt_codec.hpp"
#include "auth/key_store.hpp"
#include "common/result.hpp"
#include "db/connection_pool.hpp"
#include "db/database.hpp"
#include "db/detection_store.hpp"
#include "db/discovery_store.hpp"
#include "db/face_store.hpp"
#include "db/file_store.hpp"
#include "db/media_catalog.hpp"
#include "db/scene_store.hpp"
#include "discovery/discovery_service.hpp"
#include "faces/face_service.hpp"
#include "faces/scene_service.hpp"
#include "faces/trace_preview.hpp"
#include "frames/frames_service.hpp"
#include "hls/segment_cache.hpp"
#include "media/encoder_settings.hpp"
#include "process/job_limiter.hpp"
#include "process/job_runner.hpp"
#include "render/render_service.hpp"

namespace frameserve::app {

// The services' options. Each setting has the name it has in ServerConfig
// (app/config.hpp), here with the machine-dependent defaults resolved;
// app::app_options_for (app/server_options.hpp) is the one translation.
struct AppOptions {
  std::string db_conninfo;  // empty: default_conninfo()
  int db_pool_size = 8;
  int max_jobs = 0;  // <= 0: unlimited (the CLI)
  int stream_reserve = 1;
  // Requests that may wait for a job slot (resolved: no "0 means 4 per slot").
  int max_queue = 256;
  // queue_wait_ms, job_timeout_secs and stream_timeout_secs.
  process::JobTimeouts timeouts;
  std::string jwt_secret;
  auth::JwtPolicy jwt_policy;      // jwt_allow_no_exp
  media::EncoderSettings encoder;  // x264_preset
  // Rendered HLS segments: where (empty: <temp dir>/frameserve-segments)
  // and how many bytes at most.
  std::string cache_dir;
  uint64_t cache_max_bytes = 1ULL << 30;
  // Niceness of every ffmpeg/ffprobe child (process::set_child_niceness):
  // the server runs them at 10 (--ffmpeg-nice), the CLI at 0.
  int ffmpeg_nice = 0;
};

class AppContext {
 public:
  // Resolves ffmpeg/ffprobe; does not connect to the database yet.
  // Errors: `internal` when a tool is missing.
  static Result<std::unique_ptr<AppContext>> create(const AppOptions& options);

  db::ConnectionPool& pool() { return m_pool; }
  db::Database& database() { return m_database; }
  db::FileStore& files() { return m_files; }
  db::MediaCatalog& catalog() { return m_catalog; }
  db::DetectionStore& detections() { return m_detections; }
  faces::FaceService& faces() { return m_faces; }
  const frames::FramesService& frames() const { return m_frames; }
  faces::SceneService& scenes() { return m_scenes; }
  faces::TracePreviewService& previews() { return m_previews; }
  discovery::DiscoveryService& discovery() { return m_discovery; }
  auth::KeyStore& keys() { return m_keys; }
  const auth::JwtCodec& jwt() const { return m_jwt; }
  const auth::Authenticator& authenticator() const { return m_authenticator; }
  process::JobLimiter& limiter() { return m_limiter; }
  const process::JobRunner& runner() const { return m_runner; }
  const media::EncoderSettings& encoder() const { return m_options.encoder; }
  const AppOptions& options() const { return m_options; }
  hls::SegmentCache& segment_cache() { return m_segment_cache; }
  const render::RenderService& render() const { return m_render; }

 private:
  AppContext(const AppOptions& options, process::ToolPaths tools);

  AppOptions m_options;
  db::ConnectionPool m_pool;
  db::Database m_database;
  db::FileStore m_files;
  db::MediaCatalog m_catalog;
  db::DetectionStore m_detections;
  auth::KeyStore m_keys;
  auth::JwtCodec m_jwt;
  auth::Authenticator m_authenticator;
  process::JobLimiter m_limiter;
  process::JobRunner m_runner;
  db::FaceStore m_face_store;
  faces::FaceService m_faces;
  frames::FramesService m_frames;
  db::SceneStore m_scene_store;
  faces::SceneService m_scenes;
  db::DiscoveryStore m_discovery_store;
  discovery::DiscoveryService m_discovery;
  hls::SegmentCache m_segment_cache;
  render::RenderService m_render;
  faces::TracePreviewService m_previews;  // after the cache it renders into
};

}  // namespace frameserve::app
