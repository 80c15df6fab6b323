"""What a row names as its cover (the COVER_PATH role): a local image's path, a server's cover
(read through the server cover cache, in a worker), an artist's picture from their server
(with the cover to show where the server has none), or "" for none."""

from __future__ import annotations

from typing import NamedTuple


class ServerCover(NamedTuple):
    source: str  # the server's name
    cover_id: str  # the cover art id it gave


class ArtistPicture(NamedTuple):
    name: str
    source: str  # the server asked for it
    fallback: object  # the key shown where that server has no picture of them


def cover_key(track) -> str | ServerCover:
    if not track.cover_path:
        return ""
    return track.cover_path if track.is_local else ServerCover(track.source, track.cover_path)


def artist_key(name: str, track) -> str | ServerCover | ArtistPicture:
    """An artist's row: their picture from their server where the track (one of theirs) comes
    from a server, else the track's cover."""
    if track is None:
        return ""
    return cover_key(track) if track.is_local else ArtistPicture(name, track.source, cover_key(track))


def resolve_with(services):
    """How the window turns a key into an image file (in a worker: it may fetch)."""
    def resolve(key) -> str | None:
        if isinstance(key, str):
            return key
        if isinstance(key, ArtistPicture):
            return services.artist_picture(key.name, (key.source,)) or (
                resolve(key.fallback) if key.fallback else None)
        return services.server_cover(*key)

    return resolve
