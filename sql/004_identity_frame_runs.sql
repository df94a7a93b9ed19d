-- The frames on which each identity appears in a file, as runs of
-- consecutive frames (first, last pairs, in order), memoised on first use.
--
-- Co-occurrence intersects two identities' frames. Read from detections,
-- that scans every detection of both (a million rows: ~30 ms); people stay
-- on screen for whole shots, so the same frames are a few hundred runs, and
-- intersecting two run lists takes microseconds. A row is valid while its
-- detections_revision equals the file's, as face_selections rows are: every
-- import bumps the revision, so re-imported detections are never answered
-- from stale runs.
CREATE TABLE identity_frame_runs (
  file_uuid           uuid NOT NULL REFERENCES files (file_uuid) ON DELETE CASCADE,
  identity_uuid       uuid NOT NULL,
  detections_revision bigint NOT NULL,
  runs                integer[] NOT NULL,  -- first0, last0, first1, last1, ...
  PRIMARY KEY (file_uuid, identity_uuid)
);
