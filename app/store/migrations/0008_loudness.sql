-- Schema version 8: how loud each track is (ReplayGain 2.0 terms: gains to -18 LUFS, peaks as
-- linear amplitudes), from its tags, its server or measured on this machine. One row per
-- track that has it; a track without a row is measured in the background.

CREATE TABLE track_loudness (
    track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
    track_gain_db REAL NOT NULL,
    track_peak REAL,
    album_gain_db REAL,
    album_peak REAL,
    origin TEXT NOT NULL
);
