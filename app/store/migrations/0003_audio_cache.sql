-- Schema version 3: the index of the audio cache (files live in the cache dir).

CREATE TABLE audio_cache (
    key TEXT PRIMARY KEY,             -- a hash of server and remote id: the file's name
    server TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    suffix TEXT,                      -- a file extension, for VLC's demuxer
    size INTEGER,                     -- the whole file's size once the server said it
    have INTEGER NOT NULL DEFAULT 0,  -- bytes on disk (the start of the file)
    complete INTEGER NOT NULL DEFAULT 0,
    pinned INTEGER NOT NULL DEFAULT 0,
    last_used REAL NOT NULL,
    UNIQUE (server, remote_id)
);
CREATE INDEX audio_cache_lru ON audio_cache(pinned, last_used);
