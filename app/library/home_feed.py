"""What Home shows, read in one go by a worker: a featured album (the one playing, else the
one added last), For you (with reasons), recently played, recently added albums (called
"Start here" before anything has been played), and radio stations from the artists listened
to most, each with a cover where one is at hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.store.browse import artist_covers, recent_albums, tracks_of

FOR_YOU, RECENT, ADDED, STATIONS = 12, 12, 12, 6


@dataclass(frozen=True)
class Card:
    key: object  # a track id, an album id as text, or an artist's name
    title: str
    subtitle: str
    cover: str | None = None  # a local image file


@dataclass(frozen=True)
class Featured:
    """The banner's album: the one the player is in (to continue), else the newest."""

    caption: str
    album_key: str | None  # what the album page opens with; None when not known
    title: str
    subtitle: str
    details: str
    cover: str | None
    track_ids: tuple[int, ...]  # the album's, to play it; empty when it continues
    continues: bool  # the player's own track: its button resumes instead


@dataclass
class HomeFeed:
    for_you: list[Card] = field(default_factory=list)
    recent: list[Card] = field(default_factory=list)
    added: list[Card] = field(default_factory=list)
    stations: list[Card] = field(default_factory=list)
    note: str = ""  # why For you is not personal yet
    first_run: bool = False  # nothing played yet
    featured: Featured | None = None


def load_home(services) -> HomeFeed:
    """Reads the database and asks the recommender: call it from a worker."""
    cover = _cover_reader(services)
    recommendations = services.recommender.for_you(FOR_YOU)
    for_you = [Card(track.id, track.title, item.reason or track.artist, cover(track))
               for item in recommendations.items
               if (track := services.tracks.get(item.track_id)) is not None]
    recent = [Card(track.id, track.title, track.artist, cover(track))
              for track_id in services.history.recently_played_ids(RECENT)
              if (track := services.tracks.get(track_id)) is not None]
    added = [Card(group.key, group.title, group.subtitle, group.cover)
             for group in recent_albums(services.db, ADDED)]
    artists = services.history.favourite_artists(STATIONS)
    covers = artist_covers(services.db, artists)
    stations = [Card(artist, f"{artist} Radio", "Songs like theirs",
                     covers.get(artist) or _server_cover_of(services, cover, artist))
                for artist in artists]
    first_run = not recent
    return HomeFeed(for_you, recent, added, stations, recommendations.note, first_run,
                    _featured(services, cover, added, first_run))


def load_featured(services) -> Featured | None:
    """The banner alone (the song changed while Home is shown): call it from a worker."""
    added = [Card(group.key, group.title, group.subtitle, group.cover)
             for group in recent_albums(services.db, 1)]
    first_run = not services.history.recently_played_ids(1)
    return _featured(services, _cover_reader(services), added, first_run)


def _cover_reader(services):
    """A track's cover file: its own, or a server's already in the cover cache (Home never
    waits for a download)."""
    server_covers = services.server_covers

    def cover(track) -> str | None:
        if track.is_local or not track.cover_path:
            return track.cover_path
        cached = server_covers.cached(track.source, track.cover_path)
        return str(cached) if cached else None

    return cover


def _server_cover_of(services, cover, artist: str) -> str | None:
    """An artist with no local cover: one of their albums' covers from their server, where the
    cover cache holds it already."""
    for track in services.tracks.get_many(tracks_of(services.db, "artists", artist)[:50]):
        if (found := cover(track)) is not None:
            return found
    return None


def _featured(services, cover, added: list[Card], first_run: bool) -> Featured | None:
    current = services.player.current_track if services.player is not None else None
    if current is not None:
        album = current.album or "Unknown album"
        return Featured("Continue listening", _text(current.album_id), current.title,
                        f"{current.artist} · {album}",
                        " · ".join(str(part) for part in (current.year, current.genre) if part),
                        cover(current), (), continues=True)
    if not added:
        return None
    newest = added[0]
    ids = tuple(tracks_of(services.db, "albums", str(newest.key)))
    songs = f"{len(ids)} song" + ("" if len(ids) == 1 else "s")
    return Featured("Start here" if first_run else "New in your library", str(newest.key),
                    newest.title, newest.subtitle, songs, newest.cover, ids, continues=False)


def _text(value) -> str | None:
    return None if value is None else str(value)
