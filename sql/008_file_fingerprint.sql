-- Files that change under us (issue 21 §7). Archives move, replace and
-- delete files after they are registered; what identifies a file's bytes is
-- kept so that a job can check, cheaply, that the path still holds the file
-- whose frame index it uses (size_bytes and mtime_ns are there since 001).
--
-- ctime_ns: the inode's change time at registration (or at the last check
-- that found the same bytes). Any write, rename over the path or `touch`
-- changes it and nobody can set it back, so a stat that finds size, mtime
-- and ctime unchanged needs no read of the file.
--
-- fingerprint: lowercase hex SHA-256 of the size (8 bytes, little-endian),
-- the first 64 KiB and the last 64 KiB (the whole file when smaller): read
-- when the stat differs (to tell a `touch` from a replacement), by
-- `frameserve file check` and by `file relink`.
--
-- Both are NULL for files registered before this migration; the first check
-- that finds such a file's size and mtime unchanged fills them in.
ALTER TABLE files
  ADD COLUMN ctime_ns bigint,
  ADD COLUMN fingerprint text CHECK (fingerprint ~ '^[0-9a-f]{64}$');
