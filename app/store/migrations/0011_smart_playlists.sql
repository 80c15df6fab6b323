-- Schema version 11: smart playlists, kept as the rules a person wrote (app/library/smart_rules.py)
-- and evaluated afresh each time (app/store/smart_playlists.py). The built-in set lives in code.

-- "Recently added" and a sort by the date added read this instead of sorting the library.
CREATE INDEX tracks_added ON tracks(added_at);

CREATE TABLE smart_playlists (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    rules TEXT NOT NULL,              -- JSON list of rule texts, as 'genre is Jazz'
    match_any INTEGER NOT NULL DEFAULT 0,
    sort TEXT,                        -- a field, or 'random'; NULL: library order
    descending INTEGER NOT NULL DEFAULT 0,
    limit_count INTEGER,
    created_at REAL NOT NULL
);

-- Each track's plays in one row, kept in step with play_events by triggers, so rules on play
-- counts, skips and the last play join 100,000 tracks to one row each instead of adding up the
-- whole history every time. A play counts when heard whole or for 30 s at least, or imported
-- from another service (no audio source of ours); the last play is any that did not fail.
CREATE VIEW play_contributions AS
    SELECT track_id,
           COALESCE(end_reason = 'completed' OR ms_played >= 30000 OR audio_source IS NULL, 0)
               AS plays,
           COALESCE(end_reason = 'skipped', 0) AS skips,
           COALESCE(end_reason IN ('completed', 'skipped', 'stopped'), 0) AS ended,
           CASE WHEN end_reason IS NOT 'error' THEN started_at END AS last_played
    FROM play_events WHERE track_id IS NOT NULL;

CREATE TABLE track_play_stats (
    track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
    plays INTEGER NOT NULL,
    skips INTEGER NOT NULL,
    ended INTEGER NOT NULL,
    last_played REAL
);
INSERT INTO track_play_stats
    SELECT track_id, SUM(plays), SUM(skips), SUM(ended), MAX(last_played)
    FROM play_contributions WHERE track_id IN (SELECT id FROM tracks) GROUP BY track_id;

-- A track's row is counted again from its plays (through play_events_track, a few rows).
CREATE TRIGGER track_play_stats_insert AFTER INSERT ON play_events
WHEN new.track_id IS NOT NULL BEGIN
    -- Delete, then insert: an OR REPLACE here would take the outer statement's conflict
    -- policy (an import's INSERT OR IGNORE) and keep the first count.
    DELETE FROM track_play_stats WHERE track_id = new.track_id;
    INSERT INTO track_play_stats
        SELECT track_id, SUM(plays), SUM(skips), SUM(ended), MAX(last_played)
        FROM play_contributions WHERE track_id = new.track_id GROUP BY track_id;
END;
CREATE TRIGGER track_play_stats_update
AFTER UPDATE OF track_id, end_reason, ms_played, started_at, audio_source ON play_events BEGIN
    DELETE FROM track_play_stats WHERE track_id IN (old.track_id, new.track_id);
    INSERT INTO track_play_stats
        SELECT track_id, SUM(plays), SUM(skips), SUM(ended), MAX(last_played)
        FROM play_contributions WHERE track_id IN (old.track_id, new.track_id)
            AND track_id IN (SELECT id FROM tracks)
        GROUP BY track_id;
END;
CREATE TRIGGER track_play_stats_delete AFTER DELETE ON play_events
WHEN old.track_id IS NOT NULL BEGIN
    DELETE FROM track_play_stats WHERE track_id = old.track_id;
    INSERT INTO track_play_stats
        SELECT track_id, SUM(plays), SUM(skips), SUM(ended), MAX(last_played)
        FROM play_contributions WHERE track_id = old.track_id GROUP BY track_id;
END;

-- A smart playlist can be kept offline too (ref: its id; the built-in ones -1 to -4). SQLite
-- cannot change a CHECK constraint in place, so the table is rebuilt with every row copied.
CREATE TABLE pins_v11 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('album', 'playlist', 'favourites', 'smart')),
    ref INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    UNIQUE (kind, ref)
);
INSERT INTO pins_v11 (id, kind, ref, created_at) SELECT id, kind, ref, created_at FROM pins;
DROP TABLE pins;
ALTER TABLE pins_v11 RENAME TO pins;
