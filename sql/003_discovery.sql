-- Discovery listings (GET /api/v1/files, .../identities, .../traces).
--
-- Each trace stores the span and number of its detections, written by the
-- import in the same transaction as the detections, so that listing a page
-- of traces, identities or files never counts detections row by row: a
-- file's counts are a grouped read of its traces (thousands of rows, not
-- millions).
ALTER TABLE traces
  ADD COLUMN detection_count bigint NOT NULL DEFAULT 0,
  ADD COLUMN first_frame     integer,
  ADD COLUMN last_frame      integer;

-- Traces imported before this migration get their figures once, here.
UPDATE traces t SET detection_count = s.n, first_frame = s.first_frame, last_frame = s.last_frame
  FROM (SELECT file_uuid, trace_id, count(*) AS n, min(frame_number) AS first_frame,
               max(frame_number) AS last_frame
          FROM detections GROUP BY file_uuid, trace_id) s
 WHERE t.file_uuid = s.file_uuid AND t.trace_id = s.trace_id;

-- Keyset pagination of files in registration order.
CREATE INDEX files_by_registration ON files (registered_at, file_uuid);

-- Keyset pagination of a file's identities (ordered by identity_uuid) walks
-- traces_by_identity; traces are paged by their primary key.
