"""What Home shows, read in one go by a worker: For you (with reasons), recently played,
recently added albums (called "Start here" before anything has been played), and radio
stations from the artists listened to most, each with a cover where one is at hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.store.browse import artist_covers, recent_albums

FOR_YOU, RECENT, ADDED, STATIONS = 12, 12, 12, 6


@dataclass(frozen=True)
class Card:
    key: object  # a track id, an album id as text, or an artist's name
    title: str
    subtitle: str
    cover: str | None = None  # a local image file


@dataclass
class HomeFeed:
    for_you: list[Card] = field(default_factory=list)
    recent: list[Card] = field(default_factory=list)
    added: list[Card] = field(default_factory=list)
    stations: list[Card] = field(default_factory=list)
    note: str = ""  # why For you is not personal yet
    first_run: bool = False  # nothing played yet


def load_home(services) -> HomeFeed:
    """Reads the database and asks the recommender: call it from a worker."""
    server_covers = services.server_covers

    def cover(track) -> str | None:
        if track.is_local or not track.cover_path:
            return track.cover_path
        cached = server_covers.cached(track.source, track.cover_path)  # no download for Home
        return str(cached) if cached else None

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
    stations = [Card(artist, f"{artist} Radio", "Songs like theirs", covers.get(artist))
                for artist in artists]
    return HomeFeed(for_you, recent, added, stations, recommendations.note, first_run=not recent)
