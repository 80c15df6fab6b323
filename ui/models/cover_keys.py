"""What a row names as its cover (the COVER_PATH role): a local image's path, a server's cover
(read through the server cover cache, in a worker), or "" for none."""

from __future__ import annotations

from typing import NamedTuple


class ServerCover(NamedTuple):
    source: str  # the server's name
    cover_id: str  # the cover art id it gave


def cover_key(track) -> str | ServerCover:
    if not track.cover_path:
        return ""
    return track.cover_path if track.is_local else ServerCover(track.source, track.cover_path)
