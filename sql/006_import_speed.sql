-- Import speed (issue 9 §6). Measured with psql \copy of 1,032,000 rows:
-- 10.5 s with every constraint, 6.7 s without the foreign key, 4.3 s also
-- without detections_by_quality.
--
-- A per-row foreign key from detections to traces made every imported row
-- fire a trigger that looked its trace up: about a third of the time. The
-- importer writes a file's traces and their detections in one transaction
-- from the same validated input, so the key is checked there instead, and
-- what the key's ON DELETE CASCADE did is done here once per statement:
-- deleting traces (a replacing import, or a file's deletion cascading to
-- its traces) deletes their detections in one join.
ALTER TABLE detections DROP CONSTRAINT detections_file_uuid_trace_id_fkey;

CREATE FUNCTION delete_detections_of_deleted_traces() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM detections d USING deleted_traces t
   WHERE d.file_uuid = t.file_uuid AND d.trace_id = t.trace_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER traces_delete_detections AFTER DELETE ON traces
  REFERENCING OLD TABLE AS deleted_traces
  FOR EACH STATEMENT EXECUTE FUNCTION delete_detections_of_deleted_traces();

-- An expression index costs every imported row the most of all (2.4 s of
-- the 6.7). Its one reader, a trace's best faces by area x confidence, reads
-- the trace's rows by the primary key and sorts them instead: a top-N sort
-- over one trace's detections (about 1 ms for 1500), memoised per detections
-- revision with the face it leads to.
DROP INDEX detections_by_quality;
