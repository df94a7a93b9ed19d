// Every SQL statement frameserve runs, as named constants with $n
// placeholders. Values are always passed as parameters, never spliced.
//
// file_uuid is the uuid type in the schema and 32 hex digits in the API:
// parameters are cast with $n::uuid (PostgreSQL accepts the undashed form)
// and results printed with FRAMESERVE_FILE_UUID_TEXT.
#pragma once

namespace frameserve::db::sql {

#define FRAMESERVE_FILE_UUID_TEXT "replace(file_uuid::text, '-', '')"

// ---- files ---------------------------------------------------------------

inline constexpr const char* k_insert_file =
    "INSERT INTO files (file_uuid, path, container, video_codec, audio_codec, width, height,"
    " fps_num, fps_den, time_base_num, time_base_den, frame_count, duration_secs, start_time_us,"
    " has_audio, size_bytes, mtime_ns, ctime_ns, fingerprint, reorder_depth)"
    " VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)";

inline constexpr const char* k_insert_frame_index =
    "INSERT INTO frame_indexes (file_uuid, format_version, data) VALUES ($1::uuid, $2, $3)";

// Columns shared by k_select_file and k_list_files, in FileRow order.
#define FRAMESERVE_FILE_COLUMNS                                                          \
  FRAMESERVE_FILE_UUID_TEXT                                                              \
  ", path, container, video_codec, coalesce(audio_codec, ''),"                           \
  " width, height, fps_num, fps_den, time_base_num, time_base_den, frame_count,"         \
  " duration_secs, start_time_us, has_audio, size_bytes, mtime_ns, detections_revision," \
  " (extract(epoch from registered_at) * 1000000)::bigint, coalesce(ctime_ns, 0),"       \
  " coalesce(fingerprint, ''), reorder_depth"

inline constexpr const char* k_select_file = "SELECT " FRAMESERVE_FILE_COLUMNS " FROM files WHERE file_uuid = $1::uuid";

inline constexpr const char* k_list_files =
    "SELECT " FRAMESERVE_FILE_COLUMNS " FROM files ORDER BY registered_at, file_uuid";

inline constexpr const char* k_select_frame_index = "SELECT data FROM frame_indexes WHERE file_uuid = $1::uuid";

// Records where a registered file is and how it looks on disk now, after a
// check found the same bytes (a moved or touched file, or a row from before
// migration 008 getting its fingerprint). Never adopts other bytes: the size
// must be the registered one and a stored fingerprint must match.
// $1 file_uuid, $2 path, $3 mtime_ns, $4 ctime_ns, $5 fingerprint, $6 size.
inline constexpr const char* k_update_file_identity =
    "UPDATE files SET path = $2, mtime_ns = $3, ctime_ns = $4, fingerprint = $5"
    " WHERE file_uuid = $1::uuid AND size_bytes = $6 AND (fingerprint IS NULL OR fingerprint = $5)";

inline constexpr const char* k_delete_file = "DELETE FROM files WHERE file_uuid = $1::uuid";

inline constexpr const char* k_bump_detections_revision =
    "UPDATE files SET detections_revision = detections_revision + 1 WHERE file_uuid = $1::uuid"
    " RETURNING detections_revision";

inline constexpr const char* k_ping = "SELECT 1";

// ---- API keys ------------------------------------------------------------

inline constexpr const char* k_insert_api_key =
    "INSERT INTO api_keys (key_id, name, secret_sha256, all_files, scope) VALUES ($1, $2, $3, $4, $5)";

inline constexpr const char* k_insert_api_key_file =
    "INSERT INTO api_key_files (key_id, file_uuid) VALUES ($1, $2::uuid)";

inline constexpr const char* k_select_api_key =
    "SELECT secret_sha256, all_files, revoked_at IS NOT NULL, scope = 'write' FROM api_keys WHERE key_id = $1";

inline constexpr const char* k_api_key_covers_file =
    "SELECT 1 FROM api_key_files WHERE key_id = $1 AND file_uuid = $2::uuid";

inline constexpr const char* k_api_key_files =
    "SELECT " FRAMESERVE_FILE_UUID_TEXT " FROM api_key_files WHERE key_id = $1 ORDER BY file_uuid";

inline constexpr const char* k_list_api_keys =
    "SELECT k.key_id, k.name, k.all_files, k.created_at::text, coalesce(k.revoked_at::text, ''),"
    " coalesce(string_agg(replace(f.file_uuid::text, '-', ''), ',' ORDER BY f.file_uuid), ''),"
    " k.scope"
    " FROM api_keys k LEFT JOIN api_key_files f ON f.key_id = k.key_id"
    " GROUP BY k.key_id ORDER BY k.created_at, k.key_id";

inline constexpr const char* k_revoke_api_key =
    "UPDATE api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL";

// ---- import --------------------------------------------------------------

inline constexpr const char* k_lock_file_for_import =
    "SELECT frame_count FROM files WHERE file_uuid = $1::uuid FOR UPDATE";

inline constexpr const char* k_delete_file_traces = "DELETE FROM traces WHERE file_uuid = $1::uuid";

// $2 is a bigint[] literal such as {1,2,3}.
inline constexpr const char* k_existing_traces =
    "SELECT trace_id FROM traces WHERE file_uuid = $1::uuid AND trace_id = ANY($2::bigint[])"
    " ORDER BY trace_id LIMIT 5";

inline constexpr const char* k_create_identity_staging =
    "CREATE TEMP TABLE import_identities (identity_uuid uuid, name text) ON COMMIT DROP";

inline constexpr const char* k_copy_identity_staging = "COPY import_identities (identity_uuid, name) FROM STDIN";

// The stored identities an import renames (a non-empty name other than the
// stored one), locked until the import ends: a concurrent import that adds
// one of them to another file (its foreign key takes a share lock) waits, so
// where an identity appears cannot change between the check and the rename.
inline constexpr const char* k_lock_renamed_identities =
    "SELECT i.identity_uuid::text FROM identities i JOIN import_identities s ON s.identity_uuid = i.identity_uuid"
    " WHERE s.name <> '' AND s.name <> i.name ORDER BY i.identity_uuid FOR UPDATE OF i";

// The first of the identities $1 that appears in a file outside $2. A
// separate statement from the lock above, so that (read committed) it sees
// the traces committed while the lock was awaited.
inline constexpr const char* k_identity_outside_files =
    "SELECT t.identity_uuid::text FROM traces t"
    " WHERE t.identity_uuid = ANY($1::uuid[]) AND t.file_uuid <> ALL($2::uuid[])"
    " ORDER BY t.identity_uuid LIMIT 1";

// A name given by the import replaces the stored one; an unnamed identity
// keeps its stored name.
inline constexpr const char* k_merge_identities =
    "INSERT INTO identities (identity_uuid, name) SELECT identity_uuid, name FROM import_identities"
    " ON CONFLICT (identity_uuid) DO UPDATE SET name = EXCLUDED.name WHERE EXCLUDED.name <> ''";

// A trace's detection_count, first_frame and last_frame are computed by the
// import from the detections it loads (listings read them, never count).
inline constexpr const char* k_copy_traces =
    "COPY traces (file_uuid, trace_id, identity_uuid, label, detection_count, first_frame, last_frame)"
    " FROM STDIN";

// Binary (db/copy_binary.hpp): the producer writes the values in exactly
// these columns' types (uuid, int8, five int4, float8, uuid).
inline constexpr const char* k_copy_detections =
    "COPY detections (file_uuid, trace_id, frame_number, x, y, width, height, confidence, identity_uuid)"
    " FROM STDIN WITH (FORMAT binary)";

// ---- detections and traces ------------------------------------------------

// All detections of a frame window, in frame order (index-only scan of the
// frame-major primary key, migration 007).
inline constexpr const char* k_detections_in_frames =
    "SELECT frame_number, trace_id, x, y, width, height, confidence FROM detections"
    " WHERE file_uuid = $1::uuid AND frame_number BETWEEN $2 AND $3"
    " ORDER BY frame_number, trace_id";

// Every detection of one trace, by frame (frame batches).
inline constexpr const char* k_trace_detections =
    "SELECT frame_number, trace_id, x, y, width, height, confidence FROM detections"
    " WHERE file_uuid = $1::uuid AND trace_id = $2 ORDER BY frame_number";

// Every detection of one identity in a file, by frame then trace (frame
// batches; the traces_by_identity copy in detections makes it one range).
inline constexpr const char* k_identity_detections =
    "SELECT frame_number, trace_id, x, y, width, height, confidence FROM detections"
    " WHERE file_uuid = $1::uuid AND identity_uuid = $2::uuid ORDER BY frame_number, trace_id";

// Every trace of a file with its label and identity (labels for overlays).
inline constexpr const char* k_file_traces =
    "SELECT t.trace_id, t.label, coalesce(t.identity_uuid::text, ''), coalesce(i.name, '')"
    " FROM traces t LEFT JOIN identities i ON i.identity_uuid = t.identity_uuid"
    " WHERE t.file_uuid = $1::uuid";

// One trace: label, identity, and the span and number of its detections
// (the figures the import stored with the trace).
inline constexpr const char* k_trace_summary =
    "SELECT t.label, coalesce(t.identity_uuid::text, ''), coalesce(i.name, ''),"
    " t.detection_count, t.first_frame, t.last_frame"
    " FROM traces t LEFT JOIN identities i ON i.identity_uuid = t.identity_uuid"
    " WHERE t.file_uuid = $1::uuid AND t.trace_id = $2";

// ---- discovery listings -------------------------------------------------------
//
// Keyset pagination: each page query takes the last key of the previous page
// (NULL for the first page) and a LIMIT, and walks an index from that key,
// so page N costs what page 1 costs.

// Files in registration order with their counts, grouped from their traces'
// stored figures (never a count over detections). $1: NULL for every file or
// the uuid[] the caller may see; $2/$3: the previous page's last
// (registered_at in microseconds since the epoch, file_uuid); $4: LIMIT.
inline constexpr const char* k_list_files_page =
    "SELECT " FRAMESERVE_FILE_COLUMNS
    ", coalesce(c.traces, 0), coalesce(c.identities, 0),"
    " coalesce(c.detections, 0)"
    " FROM files f LEFT JOIN LATERAL (SELECT count(*) AS traces, count(DISTINCT t.identity_uuid) AS identities,"
    "   sum(t.detection_count) AS detections FROM traces t WHERE t.file_uuid = f.file_uuid) c ON true"
    " WHERE ($1::uuid[] IS NULL OR f.file_uuid = ANY($1::uuid[]))"
    "   AND ($2::bigint IS NULL OR (f.registered_at, f.file_uuid) >"
    "        ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))"
    " ORDER BY f.registered_at, f.file_uuid LIMIT $4";

// The identities of a file, by identity_uuid after $2 (walks
// traces_by_identity), with their traces and the sum of their figures.
inline constexpr const char* k_list_identities_page =
    "SELECT t.identity_uuid::text, i.name, string_agg(t.trace_id::text, ',' ORDER BY t.trace_id),"
    " sum(t.detection_count), min(t.first_frame), max(t.last_frame)"
    " FROM traces t JOIN identities i ON i.identity_uuid = t.identity_uuid"
    " WHERE t.file_uuid = $1::uuid AND t.identity_uuid IS NOT NULL"
    "   AND ($2::uuid IS NULL OR t.identity_uuid > $2::uuid)"
    " GROUP BY t.identity_uuid, i.name ORDER BY t.identity_uuid LIMIT $3";

// The traces of a file by trace_id after $3, optionally of one identity ($2).
inline constexpr const char* k_list_traces_page =
    "SELECT t.trace_id, coalesce(t.identity_uuid::text, ''), coalesce(i.name, ''), t.label,"
    " t.first_frame, t.last_frame, t.detection_count"
    " FROM traces t LEFT JOIN identities i ON i.identity_uuid = t.identity_uuid"
    " WHERE t.file_uuid = $1::uuid AND ($2::uuid IS NULL OR t.identity_uuid = $2::uuid)"
    "   AND ($3::bigint IS NULL OR t.trace_id > $3::bigint)"
    " ORDER BY t.trace_id LIMIT $4";

// The first $4 frames within [$2, $3] that hold a detection (index-only
// scan of the primary key, stopping after $4 distinct frames).
inline constexpr const char* k_detection_frames_page =
    "SELECT DISTINCT frame_number FROM detections"
    " WHERE file_uuid = $1::uuid AND frame_number BETWEEN $2 AND $3 ORDER BY frame_number LIMIT $4";

// ---- faces -------------------------------------------------------------------

// The top of a trace by area x confidence: the trace's rows within its
// stored frame span on the frame-major primary key (migration 007), top-N
// sorted (migration 006 dropped the index that walked them in this order;
// it cost every import more than the sort costs).
inline constexpr const char* k_trace_face_candidates =
    "SELECT d.frame_number, d.trace_id, d.x, d.y, d.width, d.height, d.confidence"
    " FROM traces t JOIN detections d ON d.file_uuid = t.file_uuid"
    "   AND d.frame_number BETWEEN t.first_frame AND t.last_frame AND d.trace_id = t.trace_id"
    " WHERE t.file_uuid = $1::uuid AND t.trace_id = $2"
    " ORDER BY ((d.width::bigint * d.height) * d.confidence) DESC, d.frame_number LIMIT $3";

inline constexpr const char* k_identity_name = "SELECT name FROM identities WHERE identity_uuid = $1::uuid";

inline constexpr const char* k_identity_in_file =
    "SELECT EXISTS (SELECT 1 FROM detections WHERE file_uuid = $1::uuid AND identity_uuid = $2::uuid)";

// An identity's memoised frame runs (migration 004), valid for one revision.
inline constexpr const char* k_select_identity_frame_runs =
    "SELECT runs::text FROM identity_frame_runs"
    " WHERE file_uuid = $1::uuid AND identity_uuid = $2::uuid AND detections_revision = $3";

// An identity's frames as runs of consecutive frames, in order: one
// index-only scan of detections_by_identity (frame minus its rank is
// constant along a run).
inline constexpr const char* k_compute_identity_frame_runs =
    "SELECT min(frame_number), max(frame_number) FROM ("
    "  SELECT frame_number, frame_number - row_number() OVER (ORDER BY frame_number) AS run FROM ("
    "    SELECT DISTINCT frame_number FROM detections WHERE file_uuid = $1::uuid AND identity_uuid = $2::uuid) f) r"
    " GROUP BY run ORDER BY 1";

inline constexpr const char* k_upsert_identity_frame_runs =
    "INSERT INTO identity_frame_runs (file_uuid, identity_uuid, detections_revision, runs)"
    " VALUES ($1::uuid, $2::uuid, $3, $4::integer[])"
    " ON CONFLICT (file_uuid, identity_uuid) DO UPDATE"
    " SET detections_revision = EXCLUDED.detections_revision, runs = EXCLUDED.runs";

// Scenes (faces/scene_service): the span of every trace of the given
// identities that has detections, from traces_by_identity (no detection is read).
inline constexpr const char* k_identity_trace_spans =
    "SELECT trace_id, first_frame, last_frame FROM traces"
    " WHERE file_uuid = $1::uuid AND identity_uuid = ANY($2::uuid[]) AND detection_count > 0"
    " ORDER BY trace_id";

// Scenes: which (trace, frame range) pairs hold at least one detection of
// the trace, each an early-stopping range probe of the frame-major key.
inline constexpr const char* k_traces_with_detections_in =
    "SELECT c.pair FROM unnest($2::int[], $3::bigint[], $4::int[], $5::int[]) AS c(pair, trace_id, first, last)"
    " WHERE EXISTS (SELECT 1 FROM detections d WHERE d.file_uuid = $1::uuid"
    "   AND d.frame_number BETWEEN c.first AND c.last AND d.trace_id = c.trace_id)"
    " ORDER BY c.pair";

// The (lowest) trace of each identity on one frame.
inline constexpr const char* k_identity_traces_on_frame =
    "SELECT identity_uuid::text, min(trace_id) FROM detections"
    " WHERE file_uuid = $1::uuid AND frame_number = $2 AND identity_uuid IN ($3::uuid, $4::uuid)"
    " GROUP BY identity_uuid";

// The top faces of identity $2 on frames where identity $3 is also present.
inline constexpr const char* k_cooccurring_face_candidates =
    "SELECT d.frame_number, d.trace_id, d.x, d.y, d.width, d.height, d.confidence FROM detections d"
    " WHERE d.file_uuid = $1::uuid AND d.identity_uuid = $2::uuid AND EXISTS ("
    "   SELECT 1 FROM detections e WHERE e.file_uuid = $1::uuid AND e.identity_uuid = $3::uuid"
    "   AND e.frame_number = d.frame_number)"
    " ORDER BY ((d.width::bigint * d.height) * d.confidence) DESC, d.frame_number, d.trace_id LIMIT $4";

inline constexpr const char* k_select_face_selection =
    "SELECT result FROM face_selections"
    " WHERE file_uuid = $1::uuid AND selection_key = $2 AND detections_revision = $3";

inline constexpr const char* k_upsert_face_selection =
    "INSERT INTO face_selections (file_uuid, selection_key, detections_revision, result)"
    " VALUES ($1::uuid, $2, $3, $4)"
    " ON CONFLICT (file_uuid, selection_key) DO UPDATE"
    " SET detections_revision = EXCLUDED.detections_revision, result = EXCLUDED.result, created_at = now()";

}  // namespace frameserve::db::sql
