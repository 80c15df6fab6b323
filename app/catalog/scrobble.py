"""Telling servers what is played.

Where a server offers OpenSubsonic's `playbackReport` extension, each server track's timeline
goes to it through `reportPlayback`: starting, playing (again every 30 s, and after a pause or a
seek), paused, and stopped with the position; the server itself decides what counts as a play,
so nothing else is sent (no "now playing", no scrobble: the play is counted once).

Elsewhere, as the Subsonic API has it: "now playing" at the start of a server track, and a
scrobble once half of it (or four minutes) has played. Scrobbles go through the outbox, so one
made offline reaches the server later; "now playing" is only worth sending now. A play whose
`starting` report did not reach the server falls back to that scrobble, so a play made while
the server was away is not lost.

Every call to a server runs on one thread of its own, in order: the network never holds up
playback, and a server never hears `stopped` before `starting`.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from app.catalog.client import SubsonicClient
from app.errors import PreludeError
from app.event_bus import EventBus
from app.models import Track
from app.playback.engine import EngineState
from app.playback.events import PlayerStateChanged, PositionChanged, TrackFinished, TrackStarted
from app.store.database import Database
from app.store.outbox_queue import Outbox

log = logging.getLogger(__name__)
SCROBBLE_AFTER_MS = 4 * 60 * 1000
PLAYBACK_REPORT = "playbackReport"  # the OpenSubsonic extension's name
REPORT_EVERY_S = 30.0  # while playing, the position is reported again this often


class _Play:
    """One server track's play, as the scrobbler follows it."""

    def __init__(self, track: Track):
        self.track = track
        self.started_at = time.time()
        self.scrobbled = False
        self.reported = False  # its `starting` reached a server that reports playback
        self.playing_said_at = 0.0  # when `playing` was last reported (0: not yet)
        self.paused = False
        self.position_ms = 0  # where it was last heard...
        self.heard_at: float | None = None  # ...and when (None: its clock is not running)

    def now_ms(self) -> int:
        """Where it is now: the position last heard, moved on by the clock while it plays."""
        if self.heard_at is None:
            return self.position_ms
        return self.position_ms + int((time.monotonic() - self.heard_at) * 1000)


class Scrobbler:
    def __init__(self, bus: EventBus, db: Database, client_for: Callable[[str], SubsonicClient],
                 wake: Callable[[], None]):
        self.db = db
        self.client_for = client_for
        self.wake = wake
        self._play: _Play | None = None
        self._calls: queue.Queue = queue.Queue()
        threading.Thread(target=self._send_in_order, name="prelude-scrobbler",
                         daemon=True).start()
        bus.subscribe(TrackStarted, self._on_started)
        bus.subscribe(PositionChanged, self._on_position)
        bus.subscribe(PlayerStateChanged, self._on_state)
        bus.subscribe(TrackFinished, self._on_finished)

    # -- events (the player's thread) ------------------------------------------------------------
    def _on_started(self, event: TrackStarted) -> None:
        track = event.track
        self._play = None if track.is_local else _Play(track)
        if self._play is not None:
            self._calls.put((self._begin, (self._play,)))

    def _on_position(self, event: PositionChanged) -> None:
        play = self._play
        if play is None:
            return
        play.position_ms = event.position_ms
        play.heard_at = None if play.paused else time.monotonic()
        if play.reported:
            if not play.paused and time.monotonic() - play.playing_said_at >= REPORT_EVERY_S:
                self._report(play, "playing")
            return
        self._maybe_scrobble(play, event.position_ms, event.duration_ms)

    def _on_state(self, event: PlayerStateChanged) -> None:
        play = self._play
        if play is None or not play.reported or event.track is None \
                or event.track.id != play.track.id:
            return
        if event.state == EngineState.PAUSED and not play.paused:
            play.position_ms, play.heard_at, play.paused = play.now_ms(), None, True
            self._report(play, "paused")
        elif event.state == EngineState.PLAYING and play.paused:
            play.heard_at, play.paused = time.monotonic(), False
            self._report(play, "playing")

    def _on_finished(self, event: TrackFinished) -> None:
        """Engines that report position rarely still scrobble, by what was played."""
        play, self._play = self._play, None
        if play is None or event.track.id != play.track.id:
            return
        if play.reported:
            play.position_ms, play.heard_at = play.now_ms(), None
            if event.end_reason == "completed" and event.track.duration_ms:
                play.position_ms = event.track.duration_ms  # at its end
            self._report(play, "stopped")
        else:
            self._maybe_scrobble(play, event.ms_played, event.track.duration_ms)

    # -- the classic pair ----------------------------------------------------------------------
    def _maybe_scrobble(self, play: _Play, played_ms: int, duration_ms: int | None) -> None:
        if play.scrobbled:
            return
        track = play.track
        duration = duration_ms or track.duration_ms or 0
        threshold = min(duration // 2, SCROBBLE_AFTER_MS) if duration else SCROBBLE_AFTER_MS
        if played_ms >= threshold:
            play.scrobbled = True
            with self.db.transaction() as conn:
                Outbox.add(conn, track.source, "scrobble",
                           {"id": track.location, "submission": "true",
                            "time": str(int(play.started_at * 1000))})
            self.wake()

    # -- the scrobbler's thread ----------------------------------------------------------------
    def _send_in_order(self) -> None:
        while True:
            function, args = self._calls.get()
            try:
                function(*args)
            except PreludeError as error:
                log.info("not sent to the server: %s", error)
            except Exception:  # noqa: BLE001 - this thread must outlive one bad answer
                log.warning("telling the server what plays failed", exc_info=True)

    def _begin(self, play: _Play) -> None:
        """`starting` where the server reports playback (then nothing else is sent for this
        play), else "now playing"; a `starting` that fails leaves the play to the scrobble."""
        track = play.track
        if self._offers_reports(track.source):
            try:
                self._call_report(track, "starting", 0)
            except PreludeError as error:
                log.info("playback not reported to %s: %s", track.source, error)
            else:
                play.reported = True
                if not play.paused:  # it plays already: the server's clock may run
                    if play.heard_at is None:
                        play.heard_at = time.monotonic()
                    play.playing_said_at = time.monotonic()
                    self._call_report(track, "playing", play.now_ms())
                return
        self.client_for(track.source).call("scrobble", id=track.location, submission="false")

    def _offers_reports(self, server: str) -> bool:
        try:
            return PLAYBACK_REPORT in self.client_for(server).extensions()
        except PreludeError:
            return False  # not reached: asked again with the next track

    def _report(self, play: _Play, state: str) -> None:
        """Queue a report of the play's state, at where it is now."""
        if state == "playing":
            play.playing_said_at = time.monotonic()
        self._calls.put((self._call_report, (play.track, state, play.now_ms())))

    def _call_report(self, track: Track, state: str, position_ms: int) -> None:
        self.client_for(track.source).call("reportPlayback", mediaId=track.location,
                                           mediaType="song", positionMs=str(max(0, position_ms)),
                                           state=state, playbackRate="1.0",
                                           ignoreScrobble="false")
