-- Schema version 10: how each track's music ends, measured on this machine with its ends, for
-- smart crossfades: 'fades' (it fades out by itself, over fade_out_ms before its music ends),
-- 'abrupt' (full level up to its last moment) or 'plain' (neither).

ALTER TABLE track_loudness ADD COLUMN end_kind TEXT;
ALTER TABLE track_loudness ADD COLUMN fade_out_ms INTEGER;
