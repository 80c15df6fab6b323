"""Lyrics: synced (LRC) where the server or an .lrc file beside the track has them, else plain."""
