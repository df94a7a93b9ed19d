#include "db/file_store.hpp"

#include "db/queries.hpp"

namespace frameserve::db {

Error file_not_found(const std::string& file_uuid) {
  return not_found("file_not_found", "no file with file_uuid " + file_uuid + " is registered");
}

FileRow file_row_from(const PgResult& r, int row) {
  FileRow f;
  int c = 0;
  f.file_uuid = r.string(row, c++);
  f.path = r.string(row, c++);
  media::MediaInfo& i = f.info;
  i.container = r.string(row, c++);
  i.video_codec = r.string(row, c++);
  i.audio_codec = r.string(row, c++);
  i.width = static_cast<int>(r.int64(row, c++));
  i.height = static_cast<int>(r.int64(row, c++));
  i.fps.num = r.int64(row, c++);
  i.fps.den = r.int64(row, c++);
  i.time_base.num = r.int64(row, c++);
  i.time_base.den = r.int64(row, c++);
  i.frame_count = r.int64(row, c++);
  i.duration_secs = r.float64(row, c++);
  i.start_time_us = r.int64(row, c++);
  i.has_audio = r.boolean(row, c++);
  i.size_bytes = r.int64(row, c++);
  i.mtime_ns = r.int64(row, c++);
  f.detections_revision = r.int64(row, c++);
  f.registered_at_us = r.int64(row, c++);
  f.ctime_ns = r.int64(row, c++);
  f.fingerprint = r.string(row, c++);
  i.reorder_depth = static_cast<int>(r.int64(row, c++));
  return f;
}

Status FileStore::insert(const media::MediaFile& file, const FileIdentity& identity) {
  const media::MediaInfo& i = file.info;
  return m_database.transaction([&](Session& s) -> Status {
    auto inserted = s.exec(sql::k_insert_file, {file.file_uuid,
                                                file.path,
                                                i.container,
                                                i.video_codec,
                                                i.has_audio ? PgParam(i.audio_codec) : PgParam(),
                                                i.width,
                                                i.height,
                                                i.fps.num,
                                                i.fps.den,
                                                i.time_base.num,
                                                i.time_base.den,
                                                i.frame_count,
                                                i.duration_secs,
                                                i.start_time_us,
                                                i.has_audio,
                                                i.size_bytes,
                                                i.mtime_ns,
                                                identity.ctime_ns,
                                                identity.fingerprint,
                                                i.reorder_depth});
    if (!inserted) {
      if (inserted.error().kind == ErrorKind::conflict) {
        return make_error(ErrorKind::conflict, "file_exists",
                          "a file with file_uuid " + file.file_uuid + " is already registered");
      }
      return inserted.error();
    }
    auto index = s.exec(sql::k_insert_frame_index,
                        {file.file_uuid, media::FrameIndex::k_format_version, PgParam::bytes(file.index->serialize())});
    if (!index) return index.error();
    return Status();
  });
}

Result<FileRow> FileStore::find(const std::string& file_uuid) {
  auto r = m_database.query(sql::k_select_file, {file_uuid});
  if (!r) return r.error();
  if (r->rows() == 0) return file_not_found(file_uuid);
  return file_row_from(r.value(), 0);
}

Result<std::vector<FileRow>> FileStore::list() {
  auto r = m_database.query(sql::k_list_files);
  if (!r) return r.error();
  std::vector<FileRow> files;
  for (int row = 0; row < r->rows(); ++row) files.push_back(file_row_from(r.value(), row));
  return files;
}

Status FileStore::remove(const std::string& file_uuid) {
  auto r = m_database.query(sql::k_delete_file, {file_uuid}, ResultFormat::text, Retry::never);
  if (!r) return r.error();
  if (r->affected_rows() == 0) return file_not_found(file_uuid);
  return Status();
}

Result<bool> FileStore::update_identity(const std::string& file_uuid, const std::string& path,
                                        const FileIdentity& identity) {
  auto r = m_database.query(sql::k_update_file_identity, {file_uuid, path, identity.mtime_ns, identity.ctime_ns,
                                                          identity.fingerprint, identity.size_bytes});
  if (!r) return r.error();
  return r->affected_rows() > 0;
}

Result<std::shared_ptr<const media::FrameIndex>> FileStore::load_index(const std::string& file_uuid) {
  auto r = m_database.query(sql::k_select_frame_index, {file_uuid}, ResultFormat::binary);
  if (!r) return r.error();
  if (r->rows() == 0) return file_not_found(file_uuid);
  auto index = media::FrameIndex::deserialize(r->text(0, 0));
  if (!index) return index.error();
  return std::make_shared<const media::FrameIndex>(std::move(index.value()));
}

}  // namespace frameserve::db
