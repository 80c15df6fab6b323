-- Schema version 1: library, playlists, queue, settings and listening history.

CREATE TABLE artists (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE albums (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    album_artist_id INTEGER REFERENCES artists(id) ON DELETE SET NULL,
    year INTEGER,
    cover_path TEXT,
    UNIQUE (title, album_artist_id)
);

CREATE TABLE tracks (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,            -- 'local' or a server's name
    location TEXT NOT NULL,          -- file path (local) or the server's opaque id
    title TEXT NOT NULL,
    artist TEXT NOT NULL DEFAULT '',
    album TEXT NOT NULL DEFAULT '',
    album_artist TEXT NOT NULL DEFAULT '',
    artist_id INTEGER REFERENCES artists(id) ON DELETE SET NULL,
    album_id INTEGER REFERENCES albums(id) ON DELETE SET NULL,
    track_no INTEGER,
    disc_no INTEGER,
    year INTEGER,
    genre TEXT NOT NULL DEFAULT '',  -- genres joined with '; '
    duration_ms INTEGER,
    codec TEXT,
    bitrate_kbps INTEGER,
    size INTEGER,
    mtime REAL,                      -- file mtime: an unchanged file is not re-read on rescan
    cover_path TEXT,
    sort_key TEXT NOT NULL DEFAULT '',
    sort_rank INTEGER,               -- place in library order; see tracks_fts below
    added_at REAL NOT NULL,
    modified_at REAL NOT NULL,
    UNIQUE (source, location)
);
CREATE INDEX tracks_sort ON tracks(sort_key);
CREATE INDEX tracks_album ON tracks(album_id);
CREATE INDEX tracks_artist ON tracks(artist_id);

-- Full-text search. The index is keyed by sort_rank, a track's place in library order (spaced
-- out so new tracks fit between their neighbours), not by id: matches then come out of the index
-- already in library order, and a page of results for a one-letter prefix is read without
-- sorting tens of thousands of rows. Rows whose rank is still NULL are not indexed yet.
CREATE INDEX tracks_rank ON tracks(sort_rank);
CREATE VIRTUAL TABLE tracks_fts USING fts5(
    title, artist, album, album_artist, genre,
    content='tracks', content_rowid='sort_rank',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);

-- Kept in step by triggers (TrackStore drops and restores them around a full renumbering).
CREATE TRIGGER tracks_fts_insert AFTER INSERT ON tracks WHEN new.sort_rank IS NOT NULL BEGIN
    INSERT INTO tracks_fts(rowid, title, artist, album, album_artist, genre)
    VALUES (new.sort_rank, new.title, new.artist, new.album, new.album_artist, new.genre);
END;
CREATE TRIGGER tracks_fts_delete AFTER DELETE ON tracks WHEN old.sort_rank IS NOT NULL BEGIN
    INSERT INTO tracks_fts(tracks_fts, rowid, title, artist, album, album_artist, genre)
    VALUES ('delete', old.sort_rank, old.title, old.artist, old.album, old.album_artist, old.genre);
END;
CREATE TRIGGER tracks_fts_update
AFTER UPDATE OF sort_rank, title, artist, album, album_artist, genre ON tracks BEGIN
    INSERT INTO tracks_fts(tracks_fts, rowid, title, artist, album, album_artist, genre)
    SELECT 'delete', old.sort_rank, old.title, old.artist, old.album, old.album_artist, old.genre
    WHERE old.sort_rank IS NOT NULL;
    INSERT INTO tracks_fts(rowid, title, artist, album, album_artist, genre)
    SELECT new.sort_rank, new.title, new.artist, new.album, new.album_artist, new.genre
    WHERE new.sort_rank IS NOT NULL;
END;

CREATE TABLE playlists (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'local',
    remote_id TEXT,
    created_at REAL NOT NULL,
    modified_at REAL NOT NULL
);
CREATE TABLE playlist_tracks (
    playlist_id INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    PRIMARY KEY (playlist_id, position)
);

-- The persisted play queue: the app reopens on the same track at the same position.
CREATE TABLE queue_items (
    position INTEGER PRIMARY KEY,
    track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE
);
CREATE TABLE queue_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    current_position INTEGER,
    position_ms INTEGER NOT NULL DEFAULT 0,
    shuffle INTEGER NOT NULL DEFAULT 0,
    play_order TEXT NOT NULL DEFAULT '[]',   -- JSON list of queue positions when shuffled
    repeat TEXT NOT NULL DEFAULT 'off' CHECK (repeat IN ('off', 'all', 'one')),
    context TEXT NOT NULL DEFAULT 'queue'
);
INSERT INTO queue_state (id) VALUES (1);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL               -- JSON
);

-- Append-only listening history. A row is written when a play starts (ended_at NULL) and
-- completed when it ends; a row still open after a crash is closed on the next start.
CREATE TABLE play_events (
    id INTEGER PRIMARY KEY,
    track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
    title TEXT NOT NULL,              -- copies, so history survives a track leaving the library
    artist TEXT NOT NULL DEFAULT '',
    album TEXT NOT NULL DEFAULT '',
    started_at REAL NOT NULL,
    ended_at REAL,
    ms_played INTEGER NOT NULL DEFAULT 0,
    end_reason TEXT CHECK (end_reason IN ('completed', 'skipped', 'stopped', 'error')),
    error_message TEXT,
    context TEXT NOT NULL DEFAULT 'queue'
        CHECK (context IN ('album', 'playlist', 'search', 'radio', 'queue', 'library', 'artist')),
    audio_source TEXT NOT NULL DEFAULT 'local'
        CHECK (audio_source IN ('local', 'cache', 'partial_cache', 'stream')),
    startup_ms REAL
);
CREATE INDEX play_events_started ON play_events(started_at);
CREATE INDEX play_events_track ON play_events(track_id);
