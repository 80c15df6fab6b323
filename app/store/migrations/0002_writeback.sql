-- Schema version 2: favourites and ratings, server playlists, and the durable outbox.

ALTER TABLE tracks ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tracks ADD COLUMN rating INTEGER CHECK (rating BETWEEN 0 AND 5);

ALTER TABLE playlists ADD COLUMN remote_signature TEXT;  -- what the server said last time
CREATE UNIQUE INDEX playlists_remote ON playlists(source, remote_id) WHERE remote_id IS NOT NULL;

-- Changes for a server, kept until the server has them: sent once, in order (by id).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    server TEXT NOT NULL,
    method TEXT NOT NULL,             -- star, unstar, setRating, scrobble, createPlaylist, ...
    params TEXT NOT NULL,             -- JSON object of API parameters
    playlist_id INTEGER,              -- local playlist a playlist call is about
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_server ON outbox(server, id);
