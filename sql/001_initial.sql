-- frameserve schema, version 1: files with their frame index, identities,
-- traces, detections and API keys.
--
-- file_uuid is 32 lowercase hex digits in the API; it is stored as the
-- 16-byte uuid type (PostgreSQL accepts the undashed form on input) and
-- printed back with replace(file_uuid::text, '-', '').

CREATE TABLE files (
  file_uuid           uuid PRIMARY KEY,
  path                text NOT NULL,
  container           text NOT NULL,
  video_codec         text NOT NULL,
  audio_codec         text,
  width               integer NOT NULL CHECK (width > 0),
  height              integer NOT NULL CHECK (height > 0),
  fps_num             integer NOT NULL CHECK (fps_num > 0),
  fps_den             integer NOT NULL CHECK (fps_den > 0),
  time_base_num       integer NOT NULL CHECK (time_base_num > 0),
  time_base_den       integer NOT NULL CHECK (time_base_den > 0),
  frame_count         integer NOT NULL CHECK (frame_count > 0),
  duration_secs       double precision NOT NULL,
  start_time_us       bigint NOT NULL,
  has_audio           boolean NOT NULL,
  size_bytes          bigint NOT NULL,
  mtime_ns            bigint NOT NULL,
  -- Bumped by every import; keys memoized results derived from detections.
  detections_revision bigint NOT NULL DEFAULT 0,
  registered_at       timestamptz NOT NULL DEFAULT now()
);

-- The per-frame index, built once at registration from the container's
-- packets: presentation-order pts of every video frame and the keyframes.
-- Binary blobs (little-endian) because a film has ~200k frames and the
-- index is always loaded whole.
CREATE TABLE frame_indexes (
  file_uuid      uuid PRIMARY KEY REFERENCES files (file_uuid) ON DELETE CASCADE,
  format_version integer NOT NULL,
  data           bytea NOT NULL
);

CREATE TABLE identities (
  identity_uuid uuid PRIMARY KEY,
  name          text NOT NULL
);

CREATE TABLE traces (
  file_uuid     uuid NOT NULL REFERENCES files (file_uuid) ON DELETE CASCADE,
  trace_id      bigint NOT NULL CHECK (trace_id >= 0),
  identity_uuid uuid REFERENCES identities (identity_uuid),
  label         text NOT NULL DEFAULT 'face',
  PRIMARY KEY (file_uuid, trace_id)
);
CREATE INDEX traces_by_identity ON traces (file_uuid, identity_uuid)
  WHERE identity_uuid IS NOT NULL;

CREATE TABLE detections (
  file_uuid     uuid NOT NULL,
  trace_id      bigint NOT NULL,
  frame_number  integer NOT NULL CHECK (frame_number >= 0),
  x             integer NOT NULL CHECK (x >= 0),
  y             integer NOT NULL CHECK (y >= 0),
  width         integer NOT NULL CHECK (width > 0),
  height        integer NOT NULL CHECK (height > 0),
  confidence    double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  -- Copied from traces at import, so that "the frames of an identity in a
  -- file" is one index range scan rather than a join per request.
  identity_uuid uuid,
  PRIMARY KEY (file_uuid, trace_id, frame_number),
  FOREIGN KEY (file_uuid, trace_id) REFERENCES traces (file_uuid, trace_id) ON DELETE CASCADE
);

-- All detections of a frame range (overlay streams read windows of frames);
-- covering, so the read is an index-only scan.
CREATE INDEX detections_by_frame ON detections (file_uuid, frame_number)
  INCLUDE (trace_id, x, y, width, height, confidence);

-- A trace's detections ranked by area x confidence (representative face).
CREATE INDEX detections_by_quality ON detections
  (file_uuid, trace_id, (((width::bigint * height) * confidence)) DESC, frame_number);

-- The frames of an identity in a file (co-occurrence).
CREATE INDEX detections_by_identity ON detections (file_uuid, identity_uuid, frame_number)
  INCLUDE (trace_id) WHERE identity_uuid IS NOT NULL;

-- API keys are stored as SHA-256 of their secret part, never in clear.
CREATE TABLE api_keys (
  key_id        text PRIMARY KEY,
  name          text NOT NULL DEFAULT '',
  secret_sha256 bytea NOT NULL,
  all_files     boolean NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz
);

CREATE TABLE api_key_files (
  key_id    text NOT NULL REFERENCES api_keys (key_id) ON DELETE CASCADE,
  file_uuid uuid NOT NULL REFERENCES files (file_uuid) ON DELETE CASCADE,
  PRIMARY KEY (key_id, file_uuid)
);
