-- The video stream's B-frame delay as ffprobe reports it (has_b_frames,
-- libavformat's video_delay), kept so that a seek into a file indexed by a
-- decode pass can cancel the 3/23 s that ffmpeg 5.1 takes off the -ss of a
-- format that seeks by dts when a stream has that delay (see
-- src/media/frame_seeker.cpp). Files registered before this migration get
-- 0: their seeks behave as before (a GOP early: thumbnails stay exact, a
-- stream copy of a range may start a keyframe earlier than it says) until
-- they are registered again.
ALTER TABLE files ADD COLUMN reorder_depth integer NOT NULL DEFAULT 0 CHECK (reorder_depth >= 0);
