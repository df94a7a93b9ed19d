-- Memoized face selections (representative faces, co-occurrence faces).
-- A row is valid while its detections_revision equals the file's: every
-- import bumps the file's revision, so re-imported detections are never
-- answered from a stale selection.
CREATE TABLE face_selections (
  file_uuid           uuid NOT NULL REFERENCES files (file_uuid) ON DELETE CASCADE,
  selection_key       text NOT NULL,
  detections_revision bigint NOT NULL,
  result              text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (file_uuid, selection_key)
);
