"""The prefetcher: the playing track and the next ones of the play order, on disk in time.

One worker thread works through a plan, in priority order: first the beginning of each planned
track (enough for HEAD_SECONDS of audio, so even a quick skip starts from disk), then each track
whole, the playing one first. Every change of plan bumps a generation; the download in progress
notices between two chunks and stops, and the new plan starts at once. An interrupted file is
resumed with an HTTP Range later, never restarted without need.

The bytes themselves are moved by download.py's loop: here, or, given a runner (the stream
proxy's process, as the app does), there, steered from here.
"""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from app.catalog.client import SubsonicClient
from app.errors import PreludeError, ServerUnreachableError
from app.models import Track
from app.recommend.skips import SKIP_LIKELY
from app.store.tracks import TrackStore
from app.streaming.cache import AudioCache, CacheFull, cache_key
from app.streaming.download import Course, Download, download, why_it_stopped
from app.streaming.events import CacheProgress, ServerUnreachable

log = logging.getLogger(__name__)

HEAD_SECONDS = 15
MIN_HEAD_BYTES = 256 * 1024


def head_bytes(track: Track) -> int:
    if track.bitrate_kbps:
        estimate = track.bitrate_kbps * 1000 // 8 * HEAD_SECONDS
    elif track.size and track.duration_ms:
        estimate = track.size * HEAD_SECONDS * 1000 // track.duration_ms
    else:
        estimate = MIN_HEAD_BYTES * 2
    return max(MIN_HEAD_BYTES, int(estimate * 1.1))  # a little over: headers, VBR


class DownloadRunner(Protocol):
    def download(self, job: Download, steering, wake) -> tuple[bool, int, int | None]:
        """download.download() elsewhere, asking `steering` again whenever `wake` is written
        to."""


class Prefetcher:
    def __init__(self, cache: AudioCache, tracks: TrackStore,
                 client_for: Callable[[str], SubsonicClient],
                 publish: Callable[[object], None] = lambda event: None,
                 offline: set[str] | None = None,
                 pinned: Callable[[], list[int]] = list, pin_budget: int | None = None,
                 skips=None, depth: int = 3,
                 wanted: Callable[[Track], bool] = lambda track: not track.is_local,
                 runner: DownloadRunner | None = None):
        self.cache = cache
        self.runner = runner  # where downloads run (None: on this process's worker thread)
        # Written to when the plan changes, so a download steered from afar hears it at once.
        self._wake, self._waker = multiprocessing.Pipe(duplex=False)
        self._steering_afar = False
        self.wanted = wanted  # which tracks to fetch (server tracks not being transcoded)
        self.skips = skips  # a SkipPredictor: likely skips get only their beginning
        self.depth = depth
        self._heads_only: set[int] = set()
        self._deferred: set[int] = set()  # a playing likely skip: completed after the window
        self._pending: tuple[list[int], bool] | None = None
        self._asked: tuple[list[int], bool] | None = None  # the last plan set
        self._urgent: set[int] = set()  # the track the player is waiting for right now
        self.pinned = pinned  # track ids kept offline: fetched whole once the window is ready
        self.pin_budget = pin_budget
        self.offline = offline if offline is not None else set()  # servers found unreachable
        self.tracks = tracks
        self.client_for = client_for
        self.publish = publish
        self.generation = 0
        self.finished_order: list[int] = []  # track ids in the order they became complete
        self._plan: list[Track] = []
        self._cond = threading.Condition()
        self._stopped = False
        self._idle = True
        self._thread = threading.Thread(target=self._run, name="prelude-prefetch", daemon=True)
        self._thread.start()

    # -- the plan -----------------------------------------------------------------------------
    def fetch_now(self, track: Track) -> None:
        """The player needs this track this instant: put it first before the plan arrives."""
        with self._cond:
            self._urgent = {track.id}
            if self._plan and self._plan[0].id == track.id:
                return
            self._plan = [track] + [t for t in self._plan if t.id != track.id]
            self._changed()

    def set_plan(self, track_ids: Sequence[int], playing: bool = False) -> None:
        """The playing track first (when `playing`), then the next ones in play order; with a
        skip predictor, likely skips are fetched only in part and the window reaches further."""
        # Only noted here (the caller is the player's thread, which must stay free for the
        # next engine event); the worker reads the database and works out the window.
        plan = (list(dict.fromkeys(track_ids)), playing)
        with self._cond:
            if plan == self._asked and not self._idle:
                # Said again (a queue change that left the order as it was): a download under
                # way goes on. Stopped and started again, it cost a busy app seconds.
                return
            self._asked = self._pending = plan
            self._changed()

    def _changed(self) -> None:
        """A new plan (called with the lock held): the worker, and a download it steers in
        another process, hear of it now."""
        self.generation += 1
        self._idle = False
        self._cond.notify_all()
        if self._steering_afar:
            self._steering_afar = False  # once is enough until it has looked
            self._waker.send_bytes(b"")

    def _take_pending(self) -> None:
        with self._cond:
            pending, self._pending = self._pending, None
        if pending is None:
            return
        ids, playing = pending
        heads_only: set[int] = set()
        deferred: set[int] = set()
        if self.skips is not None and ids:
            current, upcoming = (ids[:1], ids[1:]) if playing else ([], ids)
            window, heads_only = self.skips.window(upcoming, self.depth)
            ids = current + window
            # The playing track is likely to be skipped too: the link serves the next tracks
            # first and completes it after them (or at once, should playback need the bytes).
            if current and self.skips.likelihoods(current)[current[0]] >= SKIP_LIKELY:
                deferred = set(current)
        planned = [t for t in self.tracks.get_many(ids) if not t.is_local and self.wanted(t)]
        with self._cond:
            if self._pending is None:  # no newer plan arrived meanwhile
                if not playing or not ids:
                    self._urgent = set()  # nothing is playing: nothing is urgent
                fetching_now = [t for t in self._plan[:1] if t.id in self._urgent]
                self._plan = fetching_now + [t for t in planned if t.id not in self._urgent]
                self._heads_only = heads_only
                self._deferred = deferred

    @property
    def planned_keys(self) -> set[str]:
        with self._cond:
            return {cache_key(t.source, t.location) for t in self._plan}

    def wait_idle(self, timeout: float) -> bool:
        """True once the whole plan is on disk (tests, the benchmark)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._idle, timeout)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            idle = self._idle
            self._changed()
            self._idle = idle
        self._thread.join(10)
        if not self._thread.is_alive():
            self._wake.close()
            self._waker.close()

    # -- the worker ---------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            self._take_pending()
            with self._cond:
                if self._stopped:
                    return
                if self._pending is not None:
                    continue
                generation, plan = self.generation, list(self._plan)
            job = self._next_job(plan)
            if job is None:
                with self._cond:
                    if generation == self.generation:
                        self._idle = True
                        self._cond.notify_all()
                        self._cond.wait_for(
                            lambda g=generation: self.generation != g or self._stopped)
                continue
            track, target = job
            try:
                self._fetch(track, target, generation)
                self.offline.discard(track.source)
            except (OSError, sqlite3.OperationalError) as error:  # the disk, not the server
                log.warning("prefetch of %s could not be stored: %s", track.display_name, error)
                self.cache.fail(cache_key(track.source, track.location), why_it_stopped(error))
                self._wait_for_new_plan(generation)
            except CacheFull as full:
                log.info("cache full: %s", full)
                self.cache.fail(cache_key(track.source, track.location), str(full))
                self._wait_for_new_plan(generation)
            except PreludeError as error:  # the server is away: try again on the next plan
                log.info("prefetch of %s stopped: %s", track.display_name, error)
                self.cache.fail(cache_key(track.source, track.location), str(error))
                if isinstance(error, ServerUnreachableError):
                    self.offline.add(track.source)
                    self.publish(ServerUnreachable(track.source, str(error)))
                self._wait_for_new_plan(generation)

    def _wait_for_new_plan(self, generation: int) -> None:
        with self._cond:
            self._idle = True
            self._cond.notify_all()
            self._cond.wait_for(lambda: self.generation != generation or self._stopped)

    def _next_job(self, plan: list[Track]) -> tuple[Track, int | None] | None:
        entries = {t.id: self.cache.entry(t.source, t.location) for t in plan}
        for track in plan:  # beginnings first, in order...
            entry = entries[track.id]
            if entry is None or (not entry.complete and entry.have < head_bytes(track)):
                return track, head_bytes(track)
        later = [t for t in plan if t.id in self._deferred and t.id not in self._urgent]
        in_order = [t for t in plan if t not in later] + later
        for track in in_order:  # ...then whole tracks, in order (likely skips stay partial)
            entry = entries[track.id]
            if track.id in self._heads_only:
                continue
            if entry is None or not entry.complete:
                return track, None
        return self._next_pinned()

    def refresh_pins(self) -> None:
        """Pins changed: mark what is pinned in the cache and fetch what is missing."""
        pinned = self.tracks.get_many(self.pinned())
        for track in pinned:
            self.cache.begin(track.source, track.location, suffix_for(track))
        self.cache.set_pinned({cache_key(t.source, t.location) for t in pinned})
        with self._cond:
            self._changed()

    def _next_pinned(self) -> tuple[Track, int | None] | None:
        for track in self.tracks.get_many(self.pinned()):
            if track.source in self.offline:
                continue
            entry = self.cache.entry(track.source, track.location)
            if entry is None or not entry.complete:
                return track, None
        return None

    def _still_next(self, track: Track) -> tuple[int | None, int] | None:
        """The plan changed while `track` downloads: its target under the new plan (and the
        plan's generation) when it is still the next job, else None. A change that leaves it
        next (a song added after it, autoplay's picks chosen again) lets the download go on:
        stopped and asked for again, it cost a new request, and a busy app seconds."""
        with self._cond:
            generation = self.generation
        self._take_pending()
        with self._cond:
            if self._stopped:
                return None
            plan = list(self._plan)
        job = self._next_job(plan)
        if job is None or job[0].id != track.id:
            return None
        return job[1], generation

    def _fetch(self, track: Track, target: int | None, generation: int) -> None:
        entry = self.cache.begin(track.source, track.location, suffix_for(track))
        job = Download(entry.key, track.source, track.location, track.display_name, track.size)
        steering = _PlanSteering(self, track, target, generation)
        if self.runner is None:
            finished, have, size = download(self.cache, self.client_for(track.source), job,
                                            steering)
        else:
            finished, have, size = self.runner.download(job, steering, self._wake)
        if finished:
            self.finished_order.append(track.id)
            self.publish(CacheProgress(track.id, have, size, True))

    def _looking(self) -> None:
        """A download steered from afar is about to ask for its course: wake it at a change."""
        with self._cond:
            self._steering_afar = True


class _PlanSteering:
    """Steers a download by the plan: on while its track is the next job, as far as the plan
    wants it (its beginning or whole), keeping the planned tracks from eviction."""

    def __init__(self, prefetcher: Prefetcher, track: Track, target: int | None, generation: int):
        self.prefetcher = prefetcher
        self.track = track
        self.target = target
        self.generation = generation
        self.protect = frozenset(prefetcher.planned_keys)

    def course(self) -> Course | None:
        prefetcher = self.prefetcher
        if prefetcher.runner is not None:
            prefetcher._looking()
        if prefetcher.generation != self.generation:
            still = prefetcher._still_next(self.track)
            if still is None:
                return None  # another track comes first now
            self.target, self.generation = still
            self.protect = frozenset(prefetcher.planned_keys)
        return Course(self.target, self.protect, prefetcher.pin_budget)

    def progressed(self, have: int, size: int | None) -> None:
        self.prefetcher.publish(CacheProgress(self.track.id, have, size, False))


def suffix_for(track: Track) -> str | None:
    return {"vorbis": "ogg", "aac": "m4a", "pcm": "wav"}.get(track.codec or "", track.codec)
