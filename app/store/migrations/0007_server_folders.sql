-- Schema version 7: the folder a server keeps a song in (the directory part of Subsonic's
-- `path`, as text for browsing; never used as a file path).

ALTER TABLE tracks ADD COLUMN remote_folder TEXT;
