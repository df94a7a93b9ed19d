#include "app/app_context.hpp"

#include <filesystem>

#include "app/paths.hpp"
#include "process/child_process.hpp"

namespace frameserve::app {

namespace {
db::PoolOptions pool_options(const AppOptions& options) {
  db::PoolOptions pool;
  pool.conninfo = options.db_conninfo.empty() ? default_conninfo() : options.db_conninfo;
  pool.size = options.db_pool_size;
  return pool;
}
}  // namespace

AppContext::AppContext(const AppOptions& options, process::ToolPaths tools)
    : m_options(options),
      m_pool(pool_options(options)),
      m_database(m_pool),
      m_files(m_database),
      m_catalog(m_files),
      m_detections(m_database),
      m_keys(m_database),
      m_jwt(options.jwt_secret, options.jwt_policy),
      m_authenticator(m_keys, m_jwt),
      m_limiter(options.max_jobs, options.stream_reserve, options.max_queue),
      m_runner(std::move(tools), m_limiter, options.timeouts),
      m_face_store(m_database),
      m_faces(m_face_store, m_detections, m_runner),
      m_frames(m_detections, m_face_store, m_runner),
      m_scene_store(m_database),
      m_scenes(m_face_store, m_scene_store),
      m_discovery_store(m_database),
      m_discovery(m_authenticator, m_discovery_store, m_detections),
      m_segment_cache(options.cache_dir.empty()
                          ? (std::filesystem::temp_directory_path() / "frameserve-segments").string()
                          : options.cache_dir,
                      options.cache_max_bytes),
      m_render(m_runner, m_detections, m_scenes, m_segment_cache, m_options.encoder),
      m_previews(m_faces, m_detections, m_runner, m_segment_cache) {}

Result<std::unique_ptr<AppContext>> AppContext::create(const AppOptions& options) {
  process::set_child_niceness(options.ffmpeg_nice);
  auto tools = process::ToolPaths::resolve();
  if (!tools) return tools.error();
  return std::unique_ptr<AppContext>(new AppContext(options, std::move(tools.value())));
}

}  // namespace frameserve::app
