-- Schema version 5: plays imported from other services' exports (Spotify, ListenBrainz).
-- An imported play has no audio source of ours (NULL), says where it came from (origin), and
-- carries a key that makes importing the same export twice add nothing. SQLite cannot change
-- a CHECK constraint in place, so the table is rebuilt with every row copied.

CREATE TABLE play_events_v5 (
    id INTEGER PRIMARY KEY,
    track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    artist TEXT NOT NULL DEFAULT '',
    album TEXT NOT NULL DEFAULT '',
    started_at REAL NOT NULL,
    ended_at REAL,
    ms_played INTEGER NOT NULL DEFAULT 0,
    end_reason TEXT CHECK (end_reason IN ('completed', 'skipped', 'stopped', 'error')),
    error_message TEXT,
    context TEXT NOT NULL DEFAULT 'queue'
        CHECK (context IN ('album', 'playlist', 'search', 'radio', 'queue', 'library', 'artist')),
    audio_source TEXT DEFAULT 'local'
        CHECK (audio_source IS NULL OR audio_source IN ('local', 'cache', 'partial_cache', 'stream')),
    startup_ms REAL,
    origin TEXT NOT NULL DEFAULT 'prelude'
        CHECK (origin IN ('prelude', 'spotify', 'listenbrainz')),
    import_key TEXT
);
INSERT INTO play_events_v5 (id, track_id, title, artist, album, started_at, ended_at, ms_played,
                            end_reason, error_message, context, audio_source, startup_ms)
    SELECT id, track_id, title, artist, album, started_at, ended_at, ms_played, end_reason,
           error_message, context, audio_source, startup_ms FROM play_events;
DROP TABLE play_events;
ALTER TABLE play_events_v5 RENAME TO play_events;
CREATE INDEX play_events_started ON play_events(started_at);
CREATE INDEX play_events_track ON play_events(track_id);
CREATE UNIQUE INDEX play_events_import_key ON play_events(import_key) WHERE import_key IS NOT NULL;
