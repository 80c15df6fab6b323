"""Prelude's own output in a process of its own, so nothing else in the app can break the sound.

libvlc hands every decoded block to a Python callback, which needs the GIL: in the app's process
a thread holding it for ~100 ms at a time (a big JSON answer parsed, a sort, a scan) starved the
decoder and the listener heard holes (`prelude bench responsiveness`: 9 dropouts a minute under
that load). Here libvlc, the gapless output and the sound device live in a child process whose
GIL only its own audio threads take. The app drives it through `AudioProcessEngine`, an Engine
like any other: each command is a call answered by the child (so state and generation are as
exact as in-process), and the child's events come back on a second pipe.

If the child dies (libvlc crashed on a file), the track in hand fails in words and the next
command starts a new child: the window goes on. The child exits when the app does, even after a
kill -9, because its command pipe then ends.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import queue
import threading
import time

from app.errors import PlaybackError
from app.playback.engine import Engine, EngineEvent, EngineEventKind

log = logging.getLogger(__name__)

FADE_LOOK_S = 0.02  # how often the child looks whether a crossfade's next track is due
FIRST_ANSWER_S = 30.0  # a new child imports libvlc and opens the device first
ANSWER_S = 10.0  # libvlc answers a command in milliseconds; longer than this, it hangs
CLOSE_S = 8.0  # closing after the queue ended lets the tail play out (up to 5 s)


class AudioProcessEngine(Engine):
    """An engine run in a child process: by default Prelude's default output
    (app.playback.output_choice.open_in_process); `build(audio_output)`, a module-level
    function, builds another there (tests: the gapless output on a simulated card)."""

    def __init__(self, audio_output: str | None = None, build=None):
        super().__init__()
        self._audio_output = audio_output
        self._build = build
        self._lock = threading.Lock()  # one call at a time; the player thread is the only caller
        self._process = None
        self._dead = None  # the child whose pipe ended unasked
        self._commands = None
        self._ready: dict = {}
        self._closing = False
        # Events of a track the child started by itself (set_next), held until the player's
        # load adopts it: the player drops events of a load newer than the one it knows.
        self._early: list[EngineEvent] = []
        self._generation_lock = threading.Lock()
        self._start_child()

    # -- the child's lifetime ---------------------------------------------------------------
    def _start_child(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._commands, child_commands = context.Pipe()
        events, child_events = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve, name="prelude-audio", daemon=True,
            args=(self._build, self._audio_output, self.generation, child_commands,
                  child_events))
        self._process.start()
        child_commands.close()  # the child holds the only other ends: its death ends the pipes
        child_events.close()
        self._ready = {}
        threading.Thread(target=self._forward_events, args=(events, self._process),
                         name="prelude-audio-events", daemon=True).start()

    def _forward_events(self, events, process) -> None:
        while True:
            try:
                event = events.recv()
            except (EOFError, OSError):
                break
            with self._generation_lock:
                if event.generation > self.generation:
                    self._early.append(event)
                else:
                    self._listener(event)
        events.close()
        if not self._closing and process is self._process:
            self._dead = process
            log.warning("the audio process ended unexpectedly (exit code %s)", process.exitcode)
            self._listener(EngineEvent(EngineEventKind.ERROR, self.generation,
                                       "The audio engine stopped unexpectedly; it starts again "
                                       "with the next track."))

    def _wait_ready(self) -> None:
        if self._ready:
            return
        if not self._commands.poll(FIRST_ANSWER_S):
            self._end_child()
            raise PlaybackError("The audio engine did not start.")
        kind, value = self._receive()
        if kind == "failed":
            self._end_child()
            raise value
        self._ready = value

    def _receive(self):
        try:
            return self._commands.recv()
        except (EOFError, OSError):
            self._end_child()
            raise PlaybackError("The audio engine stopped unexpectedly.") from None

    def _end_child(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.is_alive():
            process.kill()
            process.join(2)

    def _call(self, name: str, *args, timeout: float = ANSWER_S):
        with self._lock:
            for attempt in (1, 2):  # a child found dead before the command: a new one takes it
                if self._process is None or self._process is self._dead \
                        or not self._process.is_alive():
                    self._end_child()
                    self._start_child()
                self._wait_ready()
                try:
                    self._commands.send((name, args))
                    break
                except OSError:
                    self._end_child()
                    if attempt == 2:
                        raise PlaybackError("The audio engine stopped unexpectedly.") from None
            if not self._commands.poll(timeout):
                self._end_child()
                raise PlaybackError(f"The audio engine stopped answering ({name}).")
            kind, value, state, generation = self._receive()
            with self._generation_lock:
                self.state, self.generation = state, generation
                if self._early:
                    for event in [e for e in self._early if e.generation <= generation]:
                        self._listener(event)
                    self._early = [e for e in self._early if e.generation > generation]
            if kind == "raised":
                raise value
            return value

    # -- what the child said when it started ------------------------------------------------
    @property
    def output_note(self) -> str | None:
        with self._lock:
            self._wait_ready()
            return self._ready.get("output_note")

    @property
    def uses_gapless_output(self) -> bool:
        with self._lock:
            self._wait_ready()
            return self._ready.get("gapless", False)

    @property
    def reports_heard_start(self) -> bool:
        return self._call("reports_heard_start")

    # -- Engine ------------------------------------------------------------------------------
    def load(self, source, start_ms=0, duration_hint_ms=None, continuing=False, fade=None):
        self._call("load", source, start_ms, duration_hint_ms, continuing, fade)

    def pause(self):
        self._call("pause")

    def resume(self):
        self._call("resume")

    def stop(self):
        self._call("stop")

    def seek(self, position_ms):
        self._call("seek", position_ms)

    def set_volume(self, volume):
        self._call("set_volume", volume)

    def set_next(self, source, duration_hint_ms=None, fade=None):
        return self._call("set_next", source, duration_hint_ms, fade)

    def set_equalizer(self, equalizer):
        super().set_equalizer(equalizer)
        self._call("set_equalizer", equalizer)

    def output_devices(self):
        return self._call("output_devices")

    def set_output_device(self, device):
        super().set_output_device(device)
        self._call("set_output_device", device)

    def set_track_gain(self, source, gain):
        super().set_track_gain(source, gain)
        self._call("set_track_gain", source, gain)

    def set_track_bounds(self, source, start_ms, stop_ms):
        super().set_track_bounds(source, start_ms, stop_ms)
        self._call("set_track_bounds", source, start_ms, stop_ms)

    def position_ms(self):
        return self._call("position_ms")

    def duration_ms(self):
        return self._call("duration_ms")

    def record_decoding(self) -> None:
        """Benchmarks: keep the time each decoded block reached the output, from now on."""
        self._call("record_decoding")

    def decoding_record(self) -> tuple[list[float], dict[int, float]]:
        """Benchmarks: (every decoded block's time, each load's first) since record_decoding."""
        return self._call("decoding_record")

    def close(self):
        if self._process is None:
            return
        self._closing = True
        try:
            self._call("close", timeout=CLOSE_S)
        except PlaybackError:
            pass  # it is ended either way
        with self._lock:
            if self._process is not None:
                self._process.join(2)  # it ends by itself once closed; else it is ended here
            self._end_child()


# -- the child ----------------------------------------------------------------------------------
class _DecodeLog:
    """When each decoded block reached the gapless output, and each load's first (benchmarks)."""

    def __init__(self, output):
        self.times: list[float] = []
        self.first: dict[int, float] = {}
        write = output.write

        def recording_write(pcm: bytes, generation: int) -> None:
            now = time.monotonic()
            self.times.append(now)
            self.first.setdefault(generation, now)
            write(pcm, generation)

        output.write = recording_write


class _Child:
    """The audio process's main thread: it runs the commands the app sends, one at a time, and
    starts the offered next track itself the moment the current one has been decoded to its
    end (or, for a crossfade, when its fade is due), so a cut stays gapless and a fade on time
    however long the app takes to answer (its GIL held)."""

    def __init__(self, engine, commands, events):
        self.engine, self.commands, self.events = engine, commands, events
        self.work: queue.Queue = queue.Queue()  # commands, and the ends of tracks
        self.sending = threading.Lock()  # libvlc's threads and timers report at once
        self.next: tuple | None = None  # (source, duration_hint_ms, fade) offered by set_next
        self.advanced: tuple[str, int] | None = None  # (source, generation) started here
        self.advanced_from = 0  # the generation before it
        self.advanced_offer: tuple | None = None  # the set_next it was started from
        self.ended: int | None = None  # the last generation decoded to its end
        self.decode_log: _DecodeLog | None = None
        engine.set_listener(self.forward)

    def forward(self, event: EngineEvent) -> None:
        """On libvlc's threads: pass the event on; at an end, have the next track started
        (here only noted: libvlc must not be called from its own callbacks)."""
        if event.kind == EngineEventKind.ENDED:
            self.work.put(("_ended", (event.generation,)))
        with self.sending:
            try:
                self.events.send(event)
            except OSError:
                pass  # the app is gone; the command pipe ends this process

    def read_commands(self) -> None:
        while True:
            try:
                self.work.put(self.commands.recv())
            except (EOFError, OSError):
                self.work.put(("close", ()))  # the app ended (even killed): stop the sound
                return

    def run(self) -> None:
        gapless = getattr(self.engine, "_gapless", None)
        _answer(self.commands, ("ready", {"output_note": self.engine.output_note,
                                          "gapless": gapless is not None}))
        threading.Thread(target=self.read_commands, name="audio-commands", daemon=True).start()
        while True:
            fading = self.next is not None and self.next[2] is not None
            try:
                name, args = self.work.get(timeout=FADE_LOOK_S if fading else None)
            except queue.Empty:
                if self.engine.fade_due(self.next[2]):
                    self._advance(self.engine.generation)
                continue
            if name == "_ended":
                self.ended = args[0]
                self._advance(*args)
                continue
            try:
                reply = ("ok", self._run(name, args), self.engine.state, self._app_generation())
            except Exception as error:  # noqa: BLE001 - raised again in the app, as it was
                reply = ("raised", error, self.engine.state, self._app_generation())
            _answer(self.commands, reply)
            if name == "close":
                return

    def _app_generation(self) -> int:
        """The generation the app is told: a track started here is the app's only once its
        load adopts it. Told earlier (in the answer to a set_next that came after the end), the
        app would drop the end of the track it knows as stale and take the new track's end
        for it, then wait for an end that had come already."""
        if self.advanced is not None and self.advanced[1] == self.engine.generation:
            return self.advanced_from
        return self.engine.generation

    def _run(self, name: str, args: tuple):
        engine = self.engine
        if name == "set_next":
            if self.advanced is not None:
                return False  # about the track before: what it offered plays, to be adopted
            self.next = args[0] and (args[0], args[1], args[2])
            if self.ended == engine.generation:  # offered after the end (a short track, or
                self._advance(self.ended)  # a busy app): start it now, late but not later
            return True
        if name == "load":
            source, continuing = args[0], args[3]
            if continuing and self.advanced == (source, engine.generation):
                self.advanced = None
                return None  # started here already, gaplessly: the app adopts it
            self.next = self.advanced = None
        if name == "record_decoding":
            if engine._gapless is not None:
                self.decode_log = _DecodeLog(engine._gapless)
            return None
        if name == "decoding_record":
            log_ = self.decode_log
            return (list(log_.times), dict(log_.first)) if log_ else ([], {})
        attribute = getattr(engine, name)
        result = attribute(*args) if callable(attribute) else attribute
        if self.advanced is not None and engine.generation == self.advanced_from:
            # The engine called off a crossfade it had started here (a seek in the track
            # still heard): that track is the current one again, and the next one is offered.
            self.next, self.advanced = self.advanced_offer, None
        return result

    def _advance(self, ended_generation: int) -> None:
        if self.next is None or ended_generation != self.engine.generation:
            return  # a command came first: the app decided
        source, duration_hint_ms, fade = self.next
        self.advanced_offer, self.next = self.next, None
        self.advanced_from = self.engine.generation
        try:
            self.engine.load(source, 0, duration_hint_ms, continuing=True, fade=fade)
        except Exception as error:  # noqa: BLE001 - the app's own load then tries it again
            log.warning("could not start the next track: %s", error)
            return
        self.advanced = (source, self.engine.generation)


def _serve(build, audio_output, generation, commands, events) -> None:
    """The audio process: build the engine, then run the app's commands until it closes it or
    is gone."""
    if build is None:
        from app.playback.output_choice import open_in_process as build  # noqa: PLC0415

    try:
        engine = build(audio_output)
    except PlaybackError as error:
        commands.send(("failed", error))
        return
    engine.generation = generation
    _Child(engine, commands, events).run()


def _answer(commands, reply) -> None:
    try:
        commands.send(reply)
    except (pickle.PicklingError, TypeError, AttributeError):  # an error that cannot travel
        kind, value, state, generation = reply
        commands.send(("raised", PlaybackError(str(value)), state, generation))
    except OSError:
        pass  # the app is gone
