-- Scopes (issue 9 §2): a key is for reading (the default, what every key
-- made before this migration was) or also for writing (registering files,
-- importing detections, deleting). A read key gets 403 on every write.
ALTER TABLE api_keys
  ADD COLUMN scope text NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'write'));
