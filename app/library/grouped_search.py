"""Search results grouped the way people look for music: artists, albums, then songs."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models import Track
from app.store.tracks import TrackStore

SONGS, GROUPS, SCANNED = 10, 5, 300  # shown songs, shown artists/albums, matches read for them
READ_AT_ONCE = 50  # matches read per step: most queries fill both groups within the first steps


@dataclass
class GroupedResults:
    query: str
    artists: list[str] = field(default_factory=list)
    albums: list[tuple[int, str, str]] = field(default_factory=list)  # album id, title, artist
    songs: list[int] = field(default_factory=list)
    # a song of each artist and album found, for their artwork
    artist_tracks: dict[str, Track] = field(default_factory=dict)
    album_tracks: dict[int, Track] = field(default_factory=dict)
    # the one most likely wanted: ("artist", name), ("album", album id) or ("song", track id)
    top: tuple[str, object] | None = None

    @property
    def empty(self) -> bool:
        return not (self.artists or self.albums or self.songs)


def grouped_search(tracks: TrackStore, query: str) -> GroupedResults:
    results = GroupedResults(query)
    if not query.strip():
        return results
    ids = tracks.ordered_ids(query, limit=SCANNED)
    results.songs = ids[:SONGS]
    words = [word.casefold() for word in query.split()]
    seen_albums: set[int] = set()
    read: dict[int, Track] = {}
    for track in _read_until_full(tracks, ids, results, read):
        artist = track.album_artist or track.artist
        if (artist and artist not in results.artists and len(results.artists) < GROUPS
                and all(any(part.startswith(word) for part in artist.casefold().split()) for word in words)):
            results.artists.append(artist)
            results.artist_tracks[artist] = track
        if (track.album_id is not None and track.album_id not in seen_albums
                and len(results.albums) < GROUPS
                and all(any(part.startswith(word) for part in f"{track.album} {artist}".casefold().split())
                        for word in words)):
            seen_albums.add(track.album_id)
            results.albums.append((track.album_id, track.album, artist))
            results.album_tracks[track.album_id] = track
    results.top = _top_result(results, [read[i] for i in results.songs if i in read], query)
    return results


def _read_until_full(tracks: TrackStore, ids: list[int], results: GroupedResults,
                     read: dict[int, Track]):
    """The matches in order, read a step at a time until both groups are full (reading all
    300 rows was most of the grouped results' time for a short prefix)."""
    for start in range(0, len(ids), READ_AT_ONCE):
        if start >= SONGS and len(results.artists) >= GROUPS and len(results.albums) >= GROUPS:
            return
        for track in tracks.get_many(ids[start:start + READ_AT_ONCE]):
            read[track.id] = track
            yield track


def _top_result(results: GroupedResults, songs: list[Track], query: str) -> tuple[str, object] | None:
    """The name the query says best: said whole, then begun with (an artist before an album
    before a song: the wider thing is likelier meant), else the best matching song."""
    wanted = " ".join(query.casefold().split())
    candidates = ([("artist", name, name) for name in results.artists]
                  + [("album", album_id, title) for album_id, title, _ in results.albums]
                  + [("song", track.id, track.title) for track in songs])
    for fits in (lambda name: name == wanted, lambda name: name.startswith(wanted)):
        for kind, value, name in candidates:
            name = " ".join(name.casefold().split())
            if fits(name) or fits(name.removeprefix("the ")):  # "blue" finds The Blue Note Trio
                return kind, value
    if results.songs:
        return "song", results.songs[0]
    return ("artist", results.artists[0]) if results.artists else None
