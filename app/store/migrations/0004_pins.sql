-- Schema version 4: "available offline" pins (an album, a playlist, or the favourites).

CREATE TABLE pins (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('album', 'playlist', 'favourites')),
    ref INTEGER NOT NULL DEFAULT 0,   -- the album or playlist id (0 for the favourites)
    created_at REAL NOT NULL,
    UNIQUE (kind, ref)
);
