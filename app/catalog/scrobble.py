"""Telling servers what is played: "now playing" at the start of a server track, and a
scrobble once half of it (or four minutes) has played. Scrobbles go through the outbox, so one
made offline reaches the server later; "now playing" is only worth sending now."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from app.catalog.client import SubsonicClient
from app.errors import PreludeError
from app.event_bus import EventBus
from app.models import Track
from app.playback.events import PositionChanged, TrackFinished, TrackStarted
from app.store.database import Database
from app.store.outbox_queue import Outbox

log = logging.getLogger(__name__)
SCROBBLE_AFTER_MS = 4 * 60 * 1000


class Scrobbler:
    def __init__(self, bus: EventBus, db: Database, client_for: Callable[[str], SubsonicClient],
                 wake: Callable[[], None]):
        self.db = db
        self.client_for = client_for
        self.wake = wake
        self._track: Track | None = None
        self._started_at = 0.0
        self._done = False
        bus.subscribe(TrackStarted, self._on_started)
        bus.subscribe(PositionChanged, self._on_position)
        bus.subscribe(TrackFinished, self._on_finished)

    def _on_started(self, event: TrackStarted) -> None:
        track = event.track
        self._track = None if track.is_local else track
        self._started_at = time.time()
        self._done = False
        if self._track is not None:
            # Off the player thread: the network must never hold up playback.
            threading.Thread(target=self._now_playing, args=(track,), daemon=True).start()

    def _now_playing(self, track: Track) -> None:
        try:
            self.client_for(track.source).call("scrobble", id=track.location, submission="false")
        except PreludeError as error:
            log.info("now playing not sent to %s: %s", track.source, error)

    def _on_position(self, event: PositionChanged) -> None:
        self._maybe_scrobble(event.position_ms, event.duration_ms)

    def _on_finished(self, event: TrackFinished) -> None:
        """Engines that report position rarely still scrobble, by what was played."""
        if self._track is not None and event.track.id == self._track.id:
            self._maybe_scrobble(event.ms_played, event.track.duration_ms)
        self._track = None

    def _maybe_scrobble(self, played_ms: int, duration_ms: int | None) -> None:
        track = self._track
        if track is None or self._done:
            return
        duration = duration_ms or track.duration_ms or 0
        threshold = min(duration // 2, SCROBBLE_AFTER_MS) if duration else SCROBBLE_AFTER_MS
        if played_ms >= threshold:
            self._done = True
            with self.db.transaction() as conn:
                Outbox.add(conn, track.source, "scrobble",
                           {"id": track.location, "submission": "true",
                            "time": str(int(self._started_at * 1000))})
            self.wake()
