-- Import speed (issue 9 §6), continued. The primary key was
-- (file_uuid, trace_id, frame_number) and detections_by_frame indexed
-- (file_uuid, frame_number) with every other column included: two indexes
-- over the same rows, each costing an imported row a descent and an insert.
-- One key in frame order does both jobs: unique per (frame, trace), and
-- covering, so a frame window's boxes (overlays, the detections listing)
-- are still an index-only scan. COPY of 1,032,000 rows into a table holding
-- 3M, the backend alone: 3.4–5.2 s with the two indexes, 2.8–3.3 s with the
-- one. A trace's own rows are read through its stored frame span
-- (traces.first_frame .. last_frame) on this key.
ALTER TABLE detections DROP CONSTRAINT detections_pkey;
DROP INDEX detections_by_frame;
ALTER TABLE detections ADD CONSTRAINT detections_pkey
  PRIMARY KEY (file_uuid, frame_number, trace_id) INCLUDE (x, y, width, height, confidence);

-- Deleting traces deletes their detections (migration 006). With trace_id no
-- longer second in the key, a join on (file_uuid, trace_id) would scan a
-- file's whole key range once per deleted trace, so the common cases, every
-- trace of a file going at once (a replacing import, a file's deletion), are
-- one range delete; deleting some traces of a file (only ever by hand in
-- SQL) matches their ids within the file's range.
CREATE OR REPLACE FUNCTION delete_detections_of_deleted_traces() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  file uuid;
  gone bigint[];
BEGIN
  FOR file, gone IN SELECT file_uuid, array_agg(trace_id) FROM deleted_traces GROUP BY file_uuid LOOP
    IF NOT EXISTS (SELECT 1 FROM traces WHERE file_uuid = file) THEN
      DELETE FROM detections WHERE file_uuid = file;
    ELSE
      DELETE FROM detections
       WHERE file_uuid = file AND trace_id IN (SELECT unnest(gone));
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
