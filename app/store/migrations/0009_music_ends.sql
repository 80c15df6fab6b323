-- Schema version 9: where each track's music starts and ends once the silence around it is left
-- out (milliseconds into the file), measured on this machine; for silence trimming.

ALTER TABLE track_loudness ADD COLUMN music_start_ms INTEGER;
ALTER TABLE track_loudness ADD COLUMN music_end_ms INTEGER;
