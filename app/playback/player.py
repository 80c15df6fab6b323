"""The player: the queue, an engine and the history, driven from one thread of its own.

Every public method is safe to call from any thread (the window, the command line, tests): it
queues a command for the player thread, which is the only thread that touches the engine. Engine
events (libvlc calls them on its threads) are queued the same way, so they never re-enter libvlc.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import replace

from app.errors import PlaybackError
from app.event_bus import EventBus
from app.loudness.gain import playback_gain
from app.models import AudioSource, EndReason, RepeatMode, Track
from app.playback.engine import Engine, EngineEvent, EngineEventKind, EngineState
from app.playback.events import (
    AudioStarted,
    PlanChanged,
    PlaybackFailed,
    PlayerStateChanged,
    PositionChanged,
    QueueChanged,
    QueueFinished,
    TrackFinished,
    TrackStarted,
    TransitionPlanned,
    VolumeChanged,
)
from app.playback.play_queue import PlayQueue
from app.playback.sources import Sources
from app.playback.transitions import Transition, TransitionSettings, choose, on_skip
from app.store.history import HistoryStore
from app.store.loudness import LoudnessStore
from app.store.queue_store import QueueStore
from app.store.tracks import TrackStore

log = logging.getLogger(__name__)

RESTART_THRESHOLD_MS = 3000   # "previous" after this restarts the track instead
POSITION_PUBLISH_S = 0.2
CHECKPOINT_S = 10.0           # how often a playing track's progress is written to history
SAVE_POSITION_S = 5.0
AUTOPLAY_BATCH = 10           # tracks autoplay adds when the queue runs out
TRIM_AT_LEAST_MS = 100        # silence at a track's end shorter than this is kept (a cut album)


class Player:
    def __init__(self, engine: Engine | Callable[[], Engine], tracks: TrackStore,
                 history: HistoryStore,
                 queue_store: QueueStore, bus: EventBus, sources: Sources | None = None,
                 play_queue: PlayQueue | None = None):
        # Given a factory, the engine is built on the player thread: starting libvlc then costs
        # the window nothing.
        self.engine: Engine = engine if isinstance(engine, Engine) else None  # type: ignore
        self.tracks = tracks
        self.history = history
        self.queue_store = queue_store
        self.bus = bus
        self.sources = sources or Sources()
        self.queue = play_queue or PlayQueue()
        self.context = "queue"
        self.plan_depth = 3  # how many tracks ahead the prefetcher keeps ready
        # Autoplay: given the queue's tracks and a count, what to play when the queue runs out
        # (the recommender): track ids, or (track id, why) pairs. Its picks are planned (and
        # prefetched) before the queue ends.
        self.continuation: Callable[[list[int], int], list] | None = None
        self.reasons: dict[int, str] = {}  # why a track is in the queue (radio, autoplay), shown
        self._continuation_reasons: dict[int, str] = {}
        self._continuation_key: tuple | None = None
        self._continuation_picks: list[int] = []
        self.volume = 100
        self.loudness = LoudnessStore(tracks.db)
        self.replay_gain = "off"  # loudness levelling: "off", "track" or "album"
        self.preamp_db = 0.0
        self.trim_silence = False  # start and end where the music does (measured ends)
        self.transitions = TransitionSettings()  # crossfade (off), smart, fade on skip
        self._source: str | None = None  # what the engine plays the current track from
        self.current_track: Track | None = None
        self.state = EngineState.EMPTY
        self.position_ms = 0
        self.duration_ms: int | None = None
        self._resume_at_ms = 0
        self._play_id: int | None = None
        self._load_started = 0.0
        self._startup_ms: float | None = None
        self._played_ms = 0.0
        self._started_from_ms = 0
        self._audio_source = "local"
        self._playing_since: float | None = None
        self._errors_in_a_row = 0
        self._history_note: str | None = None  # the last "history held in memory" said
        # A track that follows the last one gaplessly is announced when it is heard, not when
        # it loads (the tail of the one before may still be playing for most of a second).
        self._unannounced: TrackStarted | None = None
        # What the engine was told follows (set_next): source, duration, fade, track id, kind.
        self._offered_next: tuple | None = None
        self._planned: TransitionPlanned | None = None  # said of the next track's transition
        self._last_publish = self._last_checkpoint = self._last_save = 0.0
        self._commands: queue.Queue = queue.Queue()
        self._held_writes: list[Callable[[], None]] = []  # see _finish
        self._thread = threading.Thread(target=self._run, name="prelude-player", daemon=True)
        self._thread.start()
        self.submit(self._attach_engine, engine)

    def _attach_engine(self, engine: Engine | Callable[[], Engine]) -> None:
        if not isinstance(engine, Engine):
            engine = engine()
        self.engine = engine
        engine.set_listener(lambda event: self._commands.put((self._on_engine_event, (event,), None)))

    # -- the player thread --------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            item = self._commands.get()
            if item is None:
                return
            function, args, future = item
            try:
                result = function(*args)
                self._write_held()  # a command that ended without a load
            except Exception as error:  # noqa: BLE001 - the player thread must survive anything
                if isinstance(error, PlaybackError):  # said in words (the audio engine died)
                    log.warning("player command failed: %s", error)
                else:
                    log.exception("player command failed")
                if future is not None:
                    future.set_exception(error)
                self.bus.publish(PlaybackFailed(f"Playback problem: {error}", self.current_track))
            else:
                if future is not None:
                    future.set_result(result)

    def submit(self, function: Callable, *args) -> Future:
        future: Future = Future()
        self._commands.put((function, args, future))
        return future

    def call(self, function: Callable, *args, timeout: float = 30):
        """Run function on the player thread and wait for its result (tests, command line)."""
        return self.submit(function, *args).result(timeout)

    # -- public commands (any thread) ---------------------------------------------------------
    def play_tracks(self, track_ids: Sequence[int], start_index: int = 0, context: str = "queue",
                    reasons: dict[int, str] | None = None):
        """reasons: why each track is there (a radio's), shown beside it in the queue."""
        return self.submit(self._play_tracks, list(track_ids), start_index, context, 0, reasons)

    def take_queue(self, track_ids: Sequence[int], current: int | None, position_ms: int):
        """A queue another device saved, taken when the listener says so: its song, from
        where that device was."""
        start_ms = int(position_ms) if current is not None else 0
        return self.submit(self._play_tracks, list(track_ids), current or 0, "queue", start_ms)

    def play_index(self, index: int):
        return self.submit(self._play_index, index)

    def toggle(self):
        return self.submit(self._toggle)

    def pause(self):
        return self.submit(self._pause)

    def stop(self):
        return self.submit(self._stop)

    def next(self):
        return self.submit(self._next)

    def previous(self):
        return self.submit(self._previous)

    def seek(self, position_ms: int):
        return self.submit(self._seek, position_ms)

    def set_volume(self, volume: int):
        return self.submit(self._set_volume, volume)

    def append(self, track_ids: Sequence[int], reasons: dict[int, str] | None = None):
        return self.submit(self._edit_queue, self._append, list(track_ids), dict(reasons or {}))

    def insert_next(self, track_ids: Sequence[int]):
        return self.submit(self._edit_queue, self.queue.insert_next, list(track_ids))

    def rethink_autoplay(self):
        """Autoplay's picks may have changed (what it draws on came in): chosen again, and the
        prefetch plan with them."""
        return self.submit(self._rethink_autoplay)

    def _rethink_autoplay(self):
        self._continuation_key = None
        self._publish_queue(offer_next=False)

    def move(self, source: int, target: int):
        """Positions in the order of play (the queue pane shows that order)."""
        return self.submit(self._edit_queue, self.queue.move_in_play_order, source, target)

    def remove(self, index: int):
        return self.submit(self._remove, index)

    def clear(self):
        return self.submit(self._clear)

    def set_shuffle(self, on: bool):
        return self.submit(self._edit_queue, self.queue.set_shuffle, on)

    def set_equalizer(self, equalizer):
        """An app.playback.sound.Equalizer, or None to turn it off; heard at once."""
        return self.submit(lambda: self.engine.set_equalizer(equalizer))

    def set_output_device(self, device: str | None):
        return self.submit(lambda: self.engine.set_output_device(device))

    def output_devices(self) -> list[tuple[str, str]]:
        """Blocks until the player thread answers: call it from a worker."""
        return self.call(lambda: self.engine.output_devices())

    def set_replay_gain(self, mode: str, preamp_db: float | None = None):
        """"off", "track" or "album" (and the pre-amp, dB): at once, the playing track too."""
        def use():
            self.replay_gain = mode
            if preamp_db is not None:
                self.preamp_db = preamp_db
            self.loudness_changed()
        return self.submit(use)

    def set_trim_silence(self, on: bool):
        """From the next track on (the one playing keeps its start and end)."""
        def use():
            self.trim_silence = on
            self.transitions = replace(self.transitions, trim_silence=on)
            self._offer_next(again=True)
        return self.submit(use)

    def set_crossfade(self, seconds: float, smart: bool = True, fade_on_skip: bool = False):
        """Crossfade length (0: off), smart transitions, fade on skip: from the next
        transition on, the one coming up included."""
        def use():
            self.transitions = replace(self.transitions, crossfade_ms=int(round(seconds * 1000)),
                                       smart=smart, fade_on_skip=fade_on_skip)
            self._offer_next(again=True)
        return self.submit(use)

    def loudness_changed(self) -> None:
        """The playing and the next track's gains again (the mode changed, or a track was
        measured): on the player thread."""
        if self.current_track is not None and self._source is not None:
            self._describe_to_engine(self._source, self.current_track)
        self._offer_next(again=True)

    def _describe_to_engine(self, source: str, track: Track) -> None:
        """What the engine needs of a track: its gain (heard at once if it plays) and where it
        starts and stops (from its next load)."""
        loudness = self.loudness.get(track.id)
        self.engine.set_track_gain(source, playback_gain(loudness, self.replay_gain,
                                                         self.preamp_db))
        start, stop = 0, None
        if (self.trim_silence and loudness is not None and loudness.music_end_ms is not None
                and loudness.music_end_ms > loudness.music_start_ms):  # (0, 0): not found
            if loudness.music_start_ms >= TRIM_AT_LEAST_MS:
                start = loudness.music_start_ms
            length = track.duration_ms or 0
            if not length or length - loudness.music_end_ms >= TRIM_AT_LEAST_MS:
                stop = loudness.music_end_ms
        self.engine.set_track_bounds(source, start, stop)

    def set_repeat(self, mode: RepeatMode):
        return self.submit(self._set_repeat, RepeatMode(mode))

    def offer_again(self):
        """What follows may open differently now (a server was found unreachable): the
        engine is told again."""
        return self.submit(self._offer_next, True)

    def track_coming(self, track_id: int, whole: bool):
        """A planned track's bytes are coming into the audio cache (whole: all of them are
        there now): if it plays next, the engine is told now (Sources.ready), so the cut does
        not wait for this process."""
        return self.submit(self._track_coming, track_id, whole)

    def restore(self):
        """Reopen the saved queue on its track and position, paused-ready (no audio)."""
        return self.submit(self._restore)

    def shutdown(self, timeout: float = 10) -> None:
        if not self._thread.is_alive():
            return
        try:
            self.call(self._shutdown, timeout=timeout)
        finally:
            self._commands.put(None)
            self._thread.join(timeout)

    # -- implementation (player thread) -------------------------------------------------------
    def _play_tracks(self, track_ids, start_index, context, start_ms=0, reasons=None):
        self._finish(EndReason.SKIPPED, after_load=True)
        self.context = context
        self.reasons = dict(reasons or {})
        self.queue.set_tracks(track_ids, start_index)
        self._errors_in_a_row = 0
        self._held_writes.append(self._save_queue)
        self._start_current(start_ms)

    def _play_index(self, index):
        self._finish(EndReason.SKIPPED, after_load=True)
        self.queue.jump(index)
        self._errors_in_a_row = 0
        self._start_current(fade=self._skip_fade())

    def _toggle(self):
        if self.engine.state == EngineState.PLAYING:
            self._pause()
        elif self.engine.state == EngineState.PAUSED:
            self.engine.resume()
            self._mark_playing()
        else:
            if self.queue.current_index is None and len(self.queue):
                self.queue.jump(self.queue.next_index(auto=False))
            self._start_current(self._resume_at_ms)

    def _pause(self):
        if self.engine.state == EngineState.PLAYING:
            self.engine.pause()
            self._mark_stopped()
            # Where it stopped, exactly (positions come only 5 times a second): the slider, the
            # saved queue and a server's paused report all take this one.
            self.position_ms = self.engine.position_ms()
            self.bus.publish(PositionChanged(self.position_ms, self.duration_ms))
            self._save_position()

    def _stop(self):
        self._finish(EndReason.STOPPED)
        self.engine.stop()
        self._resume_at_ms = 0
        self.position_ms = 0
        self._save_position()
        self._set_state(EngineState.IDLE)

    def _next(self):
        self._finish(EndReason.SKIPPED, after_load=True)
        self._advance(auto=False, fade=self._skip_fade())

    def _previous(self):
        if self.engine.position_ms() > RESTART_THRESHOLD_MS or self.queue.previous_index() is None:
            if self.current_track is not None:
                self._seek(0)
            return
        self._finish(EndReason.SKIPPED, after_load=True)
        self.queue.jump(self.queue.previous_index())
        self._start_current(fade=self._skip_fade())

    def _seek(self, position_ms):
        if self._play_id is None:
            self._resume_at_ms = max(0, int(position_ms))
        else:
            self.engine.seek(position_ms)
        self.position_ms = max(0, int(position_ms))
        self.bus.publish(PositionChanged(self.position_ms, self.duration_ms))

    def _set_volume(self, volume):
        self.volume = max(0, min(100, int(volume)))
        self.engine.set_volume(self.volume)
        self.bus.publish(VolumeChanged(self.volume))

    def _set_repeat(self, mode):
        self.queue.repeat = mode
        self._save_queue()

    def _edit_queue(self, edit, *args):
        edit(*args)
        self._save_queue()

    def _append(self, track_ids, reasons):
        self.reasons.update(reasons)
        self.queue.append(track_ids)

    def _remove(self, index):
        was_current = self.queue.remove(index)
        self._save_queue()
        if was_current:
            self._finish(EndReason.SKIPPED)
            if self.queue.current_index is None:
                self.engine.stop()
                self._set_empty()
            else:
                self._start_current()

    def _clear(self):
        self._finish(EndReason.STOPPED)
        self.engine.stop()
        self.queue.clear()
        self._save_queue()
        self._set_empty()

    def _restore(self):
        saved = self.queue_store.load()
        self.queue.restore(saved)
        self.context = saved.context
        self._resume_at_ms = saved.position_ms
        self.position_ms = saved.position_ms
        track_id = self.queue.current_track_id
        self.current_track = self.tracks.get(track_id) if track_id is not None else None
        self.duration_ms = self.current_track.duration_ms if self.current_track else None
        self._publish_queue()
        self._set_state(EngineState.IDLE if self.current_track else EngineState.EMPTY)
        if self.current_track:
            self.bus.publish(PositionChanged(self.position_ms, self.duration_ms))
        return self.current_track

    def _shutdown(self):
        self._finish(EndReason.STOPPED)
        self._save_position()
        self.engine.close()

    # -- moving through the queue -------------------------------------------------------------
    def _skip_fade(self):
        """A skip fades only when asked to (fade on skip), and only from a track heard."""
        return on_skip(self.transitions) if self.state == EngineState.PLAYING else None

    def _advance(self, auto: bool, fade=None):
        index = self.queue.next_index(auto=auto)
        if index is None and self.queue.current_index is not None:
            picks = self._continuation_for_queue()
            if picks:
                self.reasons.update(self._continuation_reasons)  # the picks' own
                self.queue.append(picks)
                self.context = "radio"
                self._save_queue()
                index = self.queue.next_index(auto=auto)
        if index is None:
            self._write_held()  # nothing follows: the end of the play before is said first
            self.engine.stop()
            self.queue.jump(None)  # the next "play" starts from the top
            self._set_empty()
            self.bus.publish(QueueFinished())
            return
        self.queue.jump(index)
        self._start_current(continuing=auto, fade=fade)

    def _start_current(self, start_ms: int = 0, continuing: bool = False, fade=None):
        began = time.monotonic()  # start-up time counts finding the audio too
        track_id = self.queue.current_track_id
        if track_id is None:
            self._set_empty()
            return
        track = self.tracks.get(track_id)
        self.current_track = track
        self._resume_at_ms = 0
        self.position_ms = start_ms
        if track is None:
            self._fail(None, "This track is no longer in the library.")
            return
        self.duration_ms = track.duration_ms
        offered = self._offered_next
        try:
            if continuing and offered is not None and offered[3] == track.id:
                # The engine may have started it already: the same source, not one resolved
                # anew (a stream whose download finished since would now be a file).
                source, audio_source = offered[0], offered[4]
            else:
                source, audio_source = self.sources.resolve(track)
        except PlaybackError as error:
            self._write_held()
            self._play_id = self.history.start(track, self.context, AudioSource.LOCAL)
            self._fail(track, str(error))
            return
        self._audio_source = audio_source.value
        self._played_ms, self._playing_since, self._startup_ms = 0.0, None, None
        self._started_from_ms = start_ms
        self._load_started = began
        self._last_checkpoint = self._last_save = time.monotonic()
        self.engine.set_volume(self.volume)
        if continuing and offered is not None and offered[0] == source:
            fade = offered[2]  # the crossfade it was offered with
        self._offered_next = None  # a load forgets what followed the track before
        self._source = source
        try:
            self._describe_to_engine(source, track)
            self.engine.load(source, start_ms, track.duration_ms, continuing=continuing,
                             fade=fade)
        except PlaybackError as error:
            self._write_held()
            self._play_id = self.history.start(track, self.context, audio_source)
            self._fail(track, str(error))
            return
        self._offer_next()  # first: the engine may need it before the writes below are done
        # Written once the engine is on its way: the commit's fsync is not between the command
        # and the sound (a crash before it loses only this play, as it may).
        self._write_held()
        self._play_id = self.history.start(track, self.context, audio_source)
        self._tell_if_history_held()
        self._save_position()
        self._announce()  # the one before, if it was never heard
        started = TrackStarted(track, self.queue.current_index, audio_source.value)
        if continuing and getattr(self.engine, "reports_heard_start", False):
            self._unannounced = started
        else:
            self.bus.publish(started)
        self._publish_queue(offer_next=False)  # offered right after the load, above

    def _fail(self, track: Track | None, reason: str):
        """Record the error, say it in words, and move on (unless nothing in the queue plays)."""
        self._finish(EndReason.ERROR, reason)
        name = f"“{track.display_name}”" if track else "a track"
        self.bus.publish(PlaybackFailed(f"Could not play {name}: {reason}", track))
        self._errors_in_a_row += 1
        if self._errors_in_a_row >= max(1, len(self.queue)):
            self.engine.stop()
            self._set_state(EngineState.ERROR)
            if len(self.queue) > 1:  # with one track, its own message already says it all
                self.bus.publish(PlaybackFailed("None of the tracks in the queue could be played.",
                                                None))
            self.bus.publish(QueueFinished())
            return
        self._advance(auto=False)

    # -- engine events ------------------------------------------------------------------------
    def _on_engine_event(self, event: EngineEvent):
        if event.generation != self.engine.generation:
            return  # left over from a track we already moved away from
        kind = event.kind
        if kind == EngineEventKind.STATE:
            if event.value == EngineState.IDLE and self.current_track is None:
                return  # the engine's echo of the stop at the queue's end: the player is empty
            if event.value == EngineState.PLAYING:
                self._mark_playing(event.at)
            self._set_state(event.value)
        elif kind == EngineEventKind.FIRST_AUDIO:
            self._mark_playing(event.at)
        elif kind == EngineEventKind.POSITION:
            self._on_position(int(event.value))
        elif kind == EngineEventKind.DURATION:
            self.duration_ms = int(event.value)
        elif kind == EngineEventKind.ENDED:
            broke_off = self.sources.explain(self.current_track)
            if broke_off:  # the stream ended because its download did: not heard whole
                self._fail(self.current_track, broke_off)
                return
            # A track played to its end was heard whole (from where it started), even when the
            # engine reports the end while its last buffers are still draining.
            self._mark_stopped()
            heard = (self.duration_ms or 0) - self._started_from_ms
            self._played_ms = max(self._played_ms, float(heard))
            self._finish(EndReason.COMPLETED)
            self._advance(auto=True)
        elif kind == EngineEventKind.NOTICE:
            self.bus.publish(PlaybackFailed(str(event.value), None))
        elif kind == EngineEventKind.ERROR:
            why = self.sources.explain(self.current_track)  # the server's part, when known
            self._fail(self.current_track, why or str(event.value))

    def _on_position(self, position_ms: int):
        self.position_ms = position_ms
        now = time.monotonic()
        if now - self._last_publish >= POSITION_PUBLISH_S:
            self._last_publish = now
            self.bus.publish(PositionChanged(position_ms, self.duration_ms))
        if self._play_id is not None and now - self._last_checkpoint >= CHECKPOINT_S:
            self._last_checkpoint = now
            self.history.checkpoint(self._play_id, int(self._played_now()))
        if now - self._last_save >= SAVE_POSITION_S:
            self._last_save = now
            self._save_position()

    def _announce(self):
        if self._unannounced is not None:
            started, self._unannounced = self._unannounced, None
            self.bus.publish(started)

    def _mark_playing(self, at: float | None = None):
        self._announce()
        now = at if at is not None else time.monotonic()
        if self._startup_ms is None and self._play_id is not None:
            # A crossfade's track is heard before the app adopts it: nothing to wait for.
            self._startup_ms = max(0.0, (now - self._load_started) * 1000)
            self.history.set_startup(self._play_id, round(self._startup_ms, 1))
            self._errors_in_a_row = 0
            if self.current_track is not None:
                self.bus.publish(AudioStarted(self.current_track, self._startup_ms,
                                              self._audio_source, now))
        if self._playing_since is None:
            self._playing_since = now
            self._set_state(EngineState.PLAYING)

    def _mark_stopped(self):
        if self._playing_since is not None:
            self._played_ms += (time.monotonic() - self._playing_since) * 1000
            self._playing_since = None

    def _played_now(self) -> float:
        extra = (time.monotonic() - self._playing_since) * 1000 if self._playing_since else 0.0
        return self._played_ms + extra

    def _finish(self, reason: EndReason, message: str | None = None, after_load: bool = False):
        """Close the history row of the play in progress, if any. `after_load`: a command that
        starts another track writes it (and says so) once that track's load is on its way, so
        no commit's fsync stands between the command and the sound."""
        self._write_held()  # an earlier play's end first: the order stays as it happened
        self._announce()  # a track too short to be heard before it ended is still announced
        if self._play_id is None:
            return
        self._mark_stopped()
        play_id, track, played_ms = self._play_id, self.current_track, int(self._played_ms)
        self._play_id = None

        def write() -> None:
            self.history.finish(play_id, reason, played_ms, message)
            self._tell_if_history_held()
            if track is not None:
                self.bus.publish(TrackFinished(track, reason.value, played_ms))

        if after_load:
            self._held_writes.append(write)
        else:
            write()

    def _write_held(self) -> None:
        """What a command held back until its track's load was on its way (see _finish)."""
        while self._held_writes:
            self._held_writes.pop(0)()

    def _tell_if_history_held(self):
        """Say once when history starts being held in memory (a full disk), and once more
        if a later write still cannot save it."""
        note = self.history.unsaved
        if note and note.split(";")[0] != (self._history_note or "").split(";")[0]:
            self.bus.publish(PlaybackFailed(note, None))
        self._history_note = note

    # -- publishing ---------------------------------------------------------------------------
    def _set_state(self, state: EngineState):
        if state != self.state:
            self.state = state
            self.bus.publish(PlayerStateChanged(state, self.current_track))

    def _set_empty(self):
        self.current_track = None
        self.duration_ms = None
        self.position_ms = 0
        self._save_position()
        self._publish_queue()
        self._set_state(EngineState.EMPTY)

    def _track_coming(self, track_id: int, whole: bool):
        index = self.queue.next_index(auto=True) if self.queue.current_index is not None \
            else None
        if index is None or self.queue.track_ids[index] != track_id:
            return
        offered = self._offered_next
        if whole or offered is None or offered[3] != track_id:
            self._offer_next()  # (as a stream, it was offered at its first bytes)

    def _offer_next(self, again: bool = False) -> None:
        """Tell the engine what plays after the current track when it can open it without this
        process (Sources.ready: a file on this machine, or a server track the proxy's process
        serves as the cache fills), so the cut stays gapless even when this process is too
        busy to load it in time (a thread holding the GIL); any other is loaded here."""
        index = self.queue.next_index(auto=True) if self.queue.current_index is not None \
            else None
        track = self.tracks.get(self.queue.track_ids[index]) if index is not None else None
        transition = self._transition_to(track)
        ready = self.sources.ready(track) if track is not None else None
        on_disk = ready is not None and "://" not in ready[0]
        offered = self._offered_next
        if ready is not None and offered is not None and offered[3] == track.id \
                and "://" in offered[0] and not (on_disk and transition.fade):
            # Offered as a stream, it stays one: the engine may be playing it already. Only a
            # crossfade, which needs the whole file, is worth offering it again for.
            ready, on_disk = (offered[0], offered[4]), False
        # A crossfade needs the next track's audio at once: one still to stream cuts instead.
        offer = (ready[0], track.duration_ms, transition.fade if on_disk else None, track.id,
                 ready[1]) if ready is not None else None
        if offer != offered or again:  # again: its gain or fade may have changed
            if offer is not None:
                self._describe_to_engine(offer[0], track)
            if self.engine.set_next(*(offer[:3] if offer else (None, None, None))):
                self._offered_next = offer
        planned = TransitionPlanned(track.id if track else None,
                                    transition.why if on_disk or not transition.fade else
                                    "Straight into the next: a crossfade waits until it is "
                                    "on this machine")
        if planned != self._planned:
            self._planned = planned
            self.bus.publish(planned)

    def _transition_to(self, following: Track | None) -> Transition:
        current = self.current_track
        if following is None or current is None:
            return Transition(None, "")
        return choose(current, following, self.loudness.get(current.id), self.transitions)

    def _publish_queue(self, offer_next: bool = True):
        ids = self.queue.track_ids
        if self.reasons:  # only those still in the queue
            in_queue = set(ids)
            self.reasons = {t: why for t, why in self.reasons.items() if t in in_queue}
        self.bus.publish(QueueChanged(tuple(ids), self.queue.current_index,
                                      self.queue.shuffle, self.queue.repeat,
                                      tuple(self.queue.play_order()), tuple(self.reasons.items())))
        if offer_next:
            self._offer_next()
        current = [] if self.queue.current_index is None else [ids[self.queue.current_index]]
        # A few more than the depth: the prefetcher may pass over likely skips.
        wanted = self.plan_depth + 3
        upcoming = [ids[i] for i in self.queue.upcoming(wanted)]
        if current and len(upcoming) < wanted and self.queue.repeat == RepeatMode.OFF:
            upcoming += self._continuation_for_queue()[: wanted - len(upcoming)]
        self.bus.publish(PlanChanged(tuple(current + upcoming), playing=bool(current)))

    def _continuation_for_queue(self) -> list[int]:
        """Autoplay's picks after this queue: the same ones until the queue changes, so what was
        prefetched is what plays."""
        if self.continuation is None:
            return []
        key = tuple(self.queue.track_ids)
        if key != self._continuation_key:
            try:
                picks = self.continuation(list(key), AUTOPLAY_BATCH)
            except Exception:  # noqa: BLE001 - no recommendation is better than no playback
                log.exception("autoplay could not choose tracks")
                picks = []
            pairs = [pick if isinstance(pick, tuple) else (pick, "") for pick in picks]
            self._continuation_key, self._continuation_picks = key, [t for t, _ in pairs]
            self._continuation_reasons = {t: why for t, why in pairs if why}
        return self._continuation_picks

    def _save_queue(self):
        try:
            self.queue_store.save(self.queue.snapshot(self.position_ms, self.context))
        except sqlite3.OperationalError as error:  # a full disk: the queue plays on regardless
            log.warning("the queue could not be saved: %s", error)
        self._publish_queue()

    def _save_position(self):
        try:
            self.queue_store.save_position(self.queue.snapshot(self.position_ms, self.context))
        except sqlite3.OperationalError as error:
            log.warning("the playing position could not be saved: %s", error)
