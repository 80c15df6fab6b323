"""The libvlc engine. python-vlc is imported here and nowhere else.

One long-lived libvlc instance and media player (two with Prelude's own output: a crossfade
decodes the incoming track on the second while the first finishes). libvlc calls the event and
audio callbacks on its own threads and must not be re-entered from them, so every callback here
only translates what happened into an EngineEvent (or copies PCM bytes) and hands it to the
listener.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
import time
from collections.abc import Callable

from app.errors import PlaybackError
from app.playback.engine import (
    Crossfade,
    Engine,
    EngineEvent,
    EngineEventKind,
    EngineState,
    check_source,
)

log = logging.getLogger(__name__)

try:
    import vlc
except (ImportError, OSError):  # python-vlc raises OSError when libvlc is missing
    vlc = None
except SystemExit:  # ...and exits the process when PYTHON_VLC_LIB_PATH names no library
    vlc = None

AUDIO_OUTPUT_ENV = "PRELUDE_AUDIO_OUTPUT"
GAPLESS_OUTPUT = "gapless"  # the output name for Prelude's own output (app/playback/output_choice.py)
# "none": decode at normal speed with no sound device (headless machines, CI, Xvfb).
_OUTPUT_ALIASES = {"none": "adummy", "null": "adummy"}

PCM_RATE = 44100
PCM_CHANNELS = 2
PCM_BYTES_PER_FRAME = 2 * PCM_CHANNELS  # signed 16-bit native endian

PcmSink = Callable[[bytes], None]
# libvlc's equaliser takes 12 dB away before its bands (room to boost without clipping) and its
# "Flat" preset puts them back with a +12 dB preamp. Prelude's preamp 0 means "as loud as off".
EQUALIZER_HEADROOM_DB = 12.0
# A crossfade's incoming track starts decoding this long before its fade (in the frames the
# device takes): a local file's first audio comes in ~10 ms. Not longer: libvlc drops audio
# it was held back from handing over for long (measured: 0.19-0.37 s lost after waits of
# 0.8-1.6 s). Where it comes late, its fade is shortened to end where it would have.
CROSSFADE_PREROLL_MS = 150
# What the engine knows of the track it plays, kept for a track fading out until the incoming
# one is heard: a seek meanwhile is for the track the listener still hears.
_TRACK_STATE = ("_media", "_source", "_position_base_ms", "_decoded_to_end", "_audio_seen",
                "_position_seen", "_duration", "_track_gain")


def missing_vlc_message() -> str:
    return ("VLC (libvlc) is not installed or could not be loaded. On Debian or Ubuntu run: "
            "sudo apt-get install libvlc5 vlc-plugin-base")


def libvlc_version() -> str:
    if vlc is None:
        raise PlaybackError(missing_vlc_message())
    return vlc.libvlc_get_version().decode("utf-8", "replace").split()[0]


def equalizer_presets() -> list:
    """libvlc's presets ("Flat", "Rock", "Full bass", ...) as app.playback.sound.Equalizer."""
    from app.playback.sound import BANDS_HZ, Equalizer  # noqa: PLC0415

    if vlc is None:
        return []
    presets = []
    for index in range(vlc.libvlc_audio_equalizer_get_preset_count()):
        name = vlc.libvlc_audio_equalizer_get_preset_name(index)
        name = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)
        preset = vlc.libvlc_audio_equalizer_new_from_preset(index)
        gains = tuple(round(vlc.libvlc_audio_equalizer_get_amp_at_index(preset, band), 1)
                      for band in range(len(BANDS_HZ)))
        preamp = round(vlc.libvlc_audio_equalizer_get_preamp(preset) - EQUALIZER_HEADROOM_DB, 1)
        vlc.libvlc_audio_equalizer_release(preset)
        presets.append(Equalizer(preamp, gains, name))
    return presets


def _no_sound_device() -> bool:
    """Linux with neither a sound card nor a PulseAudio/PipeWire socket (a server, CI, a VM)."""
    if not sys.platform.startswith("linux"):
        return False
    runtime = os.environ.get("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")
    if os.path.exists(os.path.join(runtime, "pulse", "native")) or os.environ.get("PULSE_SERVER"):
        return False
    try:
        with open("/proc/asound/cards", encoding="utf-8") as cards:
            return "no soundcards" in cards.read()
    except OSError:
        return True


class _Deck:
    """One libvlc media player and the load (generation) it plays."""

    def __init__(self, player):
        self.player = player
        self.generation = 0
        self.busy = False  # it still plays a track fading out
        self.events = None  # its event manager, kept alive (attached in _attach_events)
        self.callbacks = ()  # its audio callbacks, kept alive for ctypes


class VlcEngine(Engine):
    """audio_output names a libvlc output module; pcm_sink takes the decoded samples instead
    (captures and tests); gapless is Prelude's own output (app/playback/gapless_output.py)."""

    def __init__(self, audio_output: str | None = None, pcm_sink: PcmSink | None = None,
                 gapless=None):
        super().__init__()
        if vlc is None:
            raise PlaybackError(missing_vlc_message())
        output = audio_output or os.environ.get(AUDIO_OUTPUT_ENV) or None
        if output == GAPLESS_OUTPUT:
            output = None  # asked for Prelude's own output, given none: libvlc's default
        self.output_note: str | None = None
        self._gapless = gapless
        self._decoded_to_end = False  # gapless: libvlc is done, the device still plays the tail
        self._position_base_ms = 0  # gapless: where the audio the device plays from started
        if gapless is not None:
            output = None
        elif output is None and pcm_sink is None and _no_sound_device():
            # libvlc would try ALSA again for every track and flood stderr; say it once instead.
            output = "none"
            self.output_note = ("No sound device was found, so Prelude plays silently. Choose "
                                "one with --audio-output NAME (pulse, alsa, ...).")
        self._args = ["--no-video", "--quiet", "--no-stats", "--no-media-library",
                      "--no-sub-autodetect-file"]
        if output and pcm_sink is None and gapless is None:
            self._args.append(f"--aout={_OUTPUT_ALIASES.get(output, output)}")
        self._output = output
        self._media = None
        self._pcm_sink = pcm_sink
        self._pcm_gain = 1.0
        self._volume = 100
        self._audio_seen = False
        self._position_seen = False
        self._duration: int | None = None
        self._source: str | None = None
        self._track_gain = 1.0  # the loudness gain of the track loaded (Prelude's, not libvlc's)
        self._spare: _Deck | None = None  # gapless: the media player a crossfade starts on
        self._decks_lock = threading.Lock()  # the spare is retired on a timer thread
        self._faded_from: dict[int, int] = {}  # incoming generation -> outgoing generation
        # Until the incoming track of a crossfade is heard: (outgoing generation, its state).
        self._outgoing: tuple[int, dict] | None = None
        self._ends_said: set[int] = set()  # generations whose ENDED was reported
        self._start_instance()

    @property
    def _player(self):
        return self._deck.player

    def _start_instance(self) -> None:
        # Loudness is Prelude's (the track gains), never libvlc's: it reads ReplayGain only
        # when an instance starts, and never from FLAC.
        instance = vlc.Instance([*self._args, "--audio-replay-gain-mode=none"])
        if instance is None:
            raise PlaybackError(f"libvlc could not start with audio output {self._output!r}.")
        if getattr(self, "_deck", None) is not None:
            for deck in self._decks():
                deck.player.stop()
                deck.player.release()
            self._instance.release()
        self._instance = instance
        self._deck = _Deck(instance.media_player_new())
        self._deck.generation = self.generation
        self._spare = _Deck(instance.media_player_new()) if self._gapless is not None else None
        for deck in self._decks():
            self._attach_events(deck)
            if self._gapless is not None:
                self._attach_gapless_callbacks(deck)
        if self._gapless is None and self._pcm_sink is not None:
            self._attach_pcm_callbacks()
        self._apply_volume()
        if self.equalizer is not None:
            self.set_equalizer(self.equalizer)
        if self.output_device is not None:
            self.set_output_device(self.output_device)  # the new player's own output

    def _decks(self) -> list[_Deck]:
        return [self._deck] + ([self._spare] if self._spare is not None else [])

    # -- libvlc callbacks: translate and hand off, nothing else -----------------------------
    def _attach_events(self, deck: _Deck) -> None:
        kinds = vlc.EventType
        manager = deck.player.event_manager()
        handlers = {
            kinds.MediaPlayerEndReached: self._on_end_reached,
            kinds.MediaPlayerEncounteredError: self._on_error,
            kinds.MediaPlayerTimeChanged: self._on_time,
            kinds.MediaPlayerLengthChanged: self._on_length,
            kinds.MediaPlayerPlaying: self._on_playing,
        }
        for kind, handler in handlers.items():
            manager.event_attach(kind, handler, deck)
        deck.events = manager  # python-vlc's ctypes callback lives only as long as its manager

    def _on_end_reached(self, event, deck: _Deck) -> None:
        generation = deck.generation
        if self._gapless is not None:
            self._gapless.ring.decoded_to_end(generation)
        if deck is not self._deck:
            return  # a track fading out: its end was said when the next one was heard
        self._decoded_to_end = True
        if not self._audio_seen and not self._position_seen:
            self._emit(EngineEventKind.ERROR, "the file could not be decoded", generation)
        else:
            self._say_ended(generation)

    def _say_ended(self, generation: int, at: float | None = None) -> None:
        if generation in self._ends_said:
            return
        self._ends_said = {g for g in self._ends_said if g > generation - 4} | {generation}
        self._listener(EngineEvent(EngineEventKind.ENDED, generation, None,
                                   time.monotonic() if at is None else at))

    def _on_error(self, event, deck: _Deck) -> None:
        if deck is self._deck:  # a track fading out that fails is cut short, not news
            self._emit(EngineEventKind.ERROR, "VLC could not open or decode it", deck.generation)

    def _on_device_failure(self, message: str) -> None:
        if self.state == EngineState.PLAYING:  # a device given back after the end is no news
            self._emit(EngineEventKind.ERROR, message)

    def _on_time(self, event, deck: _Deck) -> None:
        outgoing = self._outgoing
        if outgoing is not None and deck.generation == outgoing[0]:  # still the one heard
            self._emit(EngineEventKind.POSITION, self.position_ms(), outgoing[0])
            return
        if deck is not self._deck or outgoing is not None:
            return
        if event.u.new_time > 0:
            self._position_seen = True
        # Gapless: libvlc's clock runs ahead of the device by what is queued; say what is heard.
        position = self.position_ms() if self._gapless is not None else int(event.u.new_time)
        self._emit(EngineEventKind.POSITION, position)

    def _on_length(self, event, deck: _Deck) -> None:
        if deck is self._deck and event.u.new_length > 0:
            self._emit(EngineEventKind.DURATION, int(event.u.new_length))

    @property
    def reports_heard_start(self) -> bool:
        """FIRST_AUDIO says when a load's first sample is heard (Prelude's own output)."""
        return self._gapless is not None

    def _on_playing(self, event, deck: _Deck) -> None:
        if self._gapless is None:  # gapless: playing is when the first sample is heard
            self._emit(EngineEventKind.STATE, EngineState.PLAYING)

    def _on_heard(self, generation: int, delay_s: float) -> None:
        """Gapless: the output took a load's first frame; the listener hears it delay_s later.
        Said then (a timer), with that moment, so history keeps the heard start-up time."""
        at = time.monotonic() + delay_s
        outgoing = self._faded_from.pop(generation, None)

        def say():
            if outgoing is not None:  # a crossfade: the track before ends as this one is heard
                if generation != self.generation:
                    return  # called off before it was heard (a seek in the track before)
                self._outgoing = None
                self._say_ended(outgoing, at)
            self._listener(EngineEvent(EngineEventKind.FIRST_AUDIO, generation, None, at))

        timer = threading.Timer(max(0.0, delay_s), say)
        timer.daemon = True
        timer.start()

    def _attach_pcm_callbacks(self) -> None:
        import numpy as np  # noqa: PLC0415 - only captures need it; keeps the window start light

        sink = self._pcm_sink

        @vlc.CallbackDecorators.AudioPlayCb
        def on_play(opaque, samples, count, pts):
            data = ctypes.string_at(samples, count * PCM_BYTES_PER_FRAME)
            gain = self._pcm_gain * self._track_gain
            if gain != 1.0:  # libvlc leaves volume to whoever takes the samples
                scaled = np.clip(np.frombuffer(data, dtype=np.int16) * gain, -32768, 32767)
                data = scaled.astype(np.int16).tobytes()
            if not self._audio_seen:
                self._audio_seen = True
                self._emit(EngineEventKind.FIRST_AUDIO)
            sink(data)

        drain = None
        if hasattr(sink, "drain"):  # a sink that plays in real time says when it has finished
            @vlc.CallbackDecorators.AudioDrainCb
            def drain(opaque):
                sink.drain()

        self._pcm_callbacks = (on_play, drain)  # must outlive the player
        self._player.audio_set_callbacks(on_play, None, None, None, drain, None)
        self._player.audio_set_format("S16N", PCM_RATE, PCM_CHANNELS)

    def _attach_gapless_callbacks(self, deck: _Deck) -> None:
        output = self._gapless
        output.on_failure = self._on_device_failure
        output.on_heard = self._on_heard
        output.ring.on_fade_done = self._retire_later

        @vlc.CallbackDecorators.AudioPlayCb
        def on_play(opaque, samples, count, pts):
            if deck is self._deck:
                self._audio_seen = True  # decoded; FIRST_AUDIO comes once heard (_on_heard)
            output.write(ctypes.string_at(samples, count * PCM_BYTES_PER_FRAME), deck.generation)

        @vlc.CallbackDecorators.AudioFlushCb
        def on_flush(opaque, pts):
            if deck is self._deck:  # the one a seek acts on
                output.flushed()

        # No drain callback: libvlc then reports the end once the last chunk is decoded, while
        # the device still has the tail to play, and the next track queues behind it.
        deck.callbacks = (on_play, on_flush)  # must outlive the player
        deck.player.audio_set_callbacks(on_play, None, None, on_flush, None, None)
        deck.player.audio_set_format("S16N", PCM_RATE, PCM_CHANNELS)

    # -- commands (player thread only) -------------------------------------------------------
    def load(self, source, start_ms=0, duration_hint_ms=None, continuing=False,
             fade: Crossfade | None = None):
        check_source(source)
        trim_start_ms, stop_ms = self.track_bounds.get(source, (0, None))
        if start_ms == 0:
            start_ms = trim_start_ms  # the silence before its music left out
        if fade is not None and self._can_fade(continuing):
            self._crossfade_to(source, start_ms, stop_ms, duration_hint_ms, continuing, fade)
            return
        fell_back = None
        skipping = self._gapless is not None and not (continuing and self._decoded_to_end)
        self._outgoing = None  # a crossfade not heard yet is superseded
        if skipping:  # silent at once; wakes libvlc's audio thread if it waits for room
            self._gapless.drop_until_flush()
            self._silence_spare()
        # Releasing the media ends its input synchronously (no event of it arrives after
        # this) but, unlike stop(), keeps the audio output, and with it the chosen device.
        self._player.set_media(None)
        if skipping:
            self._gapless.clear()  # the old media is gone: take audio again
        if self._gapless is not None:
            try:
                self._gapless.start()
            except PlaybackError as error:
                fell_back = self._fall_back_to_vlc_output(str(error))
        self.generation += 1
        self._deck.generation = self.generation
        self._begin(source, start_ms, stop_ms, duration_hint_ms)
        if fell_back:
            self._emit(EngineEventKind.NOTICE, fell_back)

    def _begin(self, source, start_ms, stop_ms, duration_hint_ms) -> None:
        """Open and play `source` on the current deck, as the current generation."""
        self._decoded_to_end = False
        self._position_base_ms = start_ms
        self._source = source
        self._use_track_gain(self.track_gains.get(source, 1.0))
        self._audio_seen = False
        self._position_seen = False
        self._duration = duration_hint_ms
        if "://" in source:
            media = self._instance.media_new_location(source)
        else:
            if not os.path.isfile(source):
                self._set_state(EngineState.ERROR)
                self._emit(EngineEventKind.ERROR, f"File not found: {source}")
                return
            media = self._instance.media_new_path(os.fsencode(source))  # any name, UTF-8 or not
        if start_ms > 0:
            media.add_option(f":start-time={start_ms / 1000:.3f}")
        if stop_ms is not None and stop_ms > start_ms:
            media.add_option(f":stop-time={stop_ms / 1000:.3f}")  # its trailing silence too
        if self._gapless is not None:
            # libvlc drops audio handed over later than its caching (300 ms by default): the
            # gapless output's audio thread may wait that long for the GIL on a busy machine.
            # Server tracks too (Prelude's own stream proxy): at 300 ms a thread holding the GIL
            # ~350 ms at a time broke a server album's cut with a 100-140 ms hole, and the
            # suite's proxy test failed now and then (9 ms). bench playback, heard p50 with
            # prefetch: 19.6 ms at 1000 against 25.4 at 300; on a miss over the emulated link
            # 194.4 against 176.6.
            media.add_option(":network-caching=1000" if "://" in source else ":file-caching=1000")
        elif source.startswith("http://127.0.0.1:"):
            # libvlc's own output, from Prelude's stream proxy: a second of network buffering
            # would only delay the start.
            media.add_option(":network-caching=300")
        self._media = media
        self._player.set_media(media)
        if self._player.play() == -1:
            self._set_state(EngineState.ERROR)
            self._emit(EngineEventKind.ERROR, "VLC could not start playback")
            return
        self.state = EngineState.PLAYING

    # -- crossfades (Prelude's own output only) ----------------------------------------------
    def _can_fade(self, continuing: bool) -> bool:
        return (self._gapless is not None and self._spare is not None
                and self.state == EngineState.PLAYING and self._media is not None
                and (not continuing or not self._gapless.ring.paused))

    def _end_ms(self) -> int | None:
        """Where the current track stops, ms into it (its trimmed end, or its length)."""
        stop_ms = self.track_bounds.get(self._source, (0, None))[1] if self._source else None
        if stop_ms:
            return stop_ms
        length = self._player.get_length()
        return length if length > 0 else self._duration

    def fade_due(self, fade: Crossfade) -> bool:
        """The next track should start decoding now for its fade to begin in time."""
        if not self._can_fade(continuing=True):
            return False
        if self._decoded_to_end:
            return True
        end_ms = self._end_ms()
        # What the device has taken, not what is heard: the fade is placed among the frames
        # it takes, up to ~1.2 s before the listener hears them.
        taken_ms = self._position_base_ms + self._gapless.ring.played_frames(self.generation) \
            * 1000 // PCM_RATE
        return bool(end_ms) and taken_ms >= end_ms - fade.ms - CROSSFADE_PREROLL_MS

    def _crossfade_to(self, source, start_ms, stop_ms, duration_hint_ms, continuing,
                      fade: Crossfade) -> None:
        """Start `source` on the spare media player, queued beside the playing track and mixed
        with it: over the playing track's last fade.ms when it follows it (continuing), from
        the moment its audio is there when the listener skipped to it."""
        outgoing = self.generation
        at_ms = None
        if continuing:
            end_ms = self._end_ms() or 0
            at_ms = end_ms - self._position_base_ms - fade.ms
        self._outgoing = (outgoing, {name: getattr(self, name) for name in _TRACK_STATE})
        with self._decks_lock:
            spare = self._spare
            spare.player.set_media(None)  # the track faded out before this one, if still on
            self.generation += 1
            spare.generation = self.generation
            spare.busy = False
            self._deck.busy = True
            self._spare, self._deck = self._deck, spare
            self._faded_from = {self.generation: outgoing}
            self._gapless.ring.crossfade(self.generation, outgoing, at_ms, fade.ms,
                                         fade.fade_out)
        self._begin(source, start_ms, stop_ms, duration_hint_ms)

    def _take_back_fade(self) -> None:
        """A seek before the incoming track of a crossfade is heard is for the track still
        heard: the fade is called off (its audio is dropped with the rest by the seek) and that
        track is the current one again, with the generation the app knows it by."""
        if self._outgoing is None:
            return
        generation, state = self._outgoing
        self._outgoing = None
        with self._decks_lock:
            incoming = self._deck
            incoming.player.set_media(None)
            self._deck, self._spare = self._spare, incoming
            self._deck.busy = incoming.busy = False
            self.generation = generation
            self._faded_from = {}
            for name, value in state.items():
                setattr(self, name, value)

    def _retire_later(self, outgoing: int) -> None:
        """The fade ended (said on the device's thread): the faded track's decoder is let go
        on a thread of its own, never from libvlc's or the device's."""
        timer = threading.Timer(0, self._retire, args=(outgoing,))
        timer.daemon = True
        timer.start()

    def _retire(self, outgoing: int) -> None:
        with self._decks_lock:
            spare = self._spare
            if spare is not None and spare.busy and spare.generation == outgoing:
                spare.player.set_media(None)
                spare.busy = False

    def _silence_spare(self) -> None:
        """A skip, seek or stop: the track fading out goes too."""
        with self._decks_lock:
            if self._spare is not None and self._spare.busy:
                self._spare.player.set_media(None)
                self._spare.busy = False

    def _fall_back_to_vlc_output(self, why: str) -> str:
        """Prelude's own output cannot use the device (busy, or gone): libvlc's default output
        plays from now on, gaps between tracks and all, rather than nothing."""
        self._gapless.close()
        self._gapless = None
        if _no_sound_device():
            self._args.append("--aout=adummy")
        self._start_instance()
        return f"{why} Playing through VLC's own output instead (with a short gap between tracks)."

    def pause(self):
        if self.state == EngineState.PLAYING:
            if self._gapless is not None:
                self._gapless.pause()  # silent at once, not once the queued audio has played
            for deck in self._decks():
                if deck is self._deck or deck.busy:  # both tracks of a crossfade wait
                    deck.player.set_pause(1)
            self._set_state(EngineState.PAUSED)

    def resume(self):
        if self.state == EngineState.PAUSED:
            if self._gapless is not None:
                try:
                    self._gapless.start()
                except PlaybackError as error:  # the next track falls back to libvlc's output
                    self._emit(EngineEventKind.ERROR, str(error))
                    return
            for deck in self._decks():
                if deck is self._deck or deck.busy:
                    deck.player.set_pause(0)
            self._set_state(EngineState.PLAYING)

    def stop(self):
        # A track that ended keeps its tail playing: the queue ended, nobody stopped it.
        cutting = self._gapless is not None and not self._decoded_to_end
        if cutting:
            self._gapless.drop_until_flush()
        self._outgoing = None
        self._silence_spare()
        self._player.set_media(None)  # as in load(): the output and its device stay
        if cutting:
            self._gapless.clear()
        if self._gapless is not None:
            self._gapless.finish()
        self.generation += 1
        self._deck.generation = self.generation
        if self.state not in (EngineState.EMPTY, EngineState.IDLE):
            self._set_state(EngineState.IDLE)

    def seek(self, position_ms):
        if self._media is not None:
            if self._gapless is not None:
                self._gapless.drop_until_flush()  # a crossfade under way too
                self._take_back_fade()
                self._silence_spare()
                self._position_base_ms = max(0, int(position_ms))
            self._player.set_time(max(0, int(position_ms)))
            self._emit(EngineEventKind.POSITION, max(0, int(position_ms)))

    def set_volume(self, volume):
        volume = max(0, min(100, int(volume)))
        # Cubic, as libvlc's own outputs do, so loudness follows the slider evenly.
        self._pcm_gain = (volume / 100) ** 3
        self._volume = volume
        self._apply_volume()

    def set_track_gain(self, source, gain):
        super().set_track_gain(source, gain)
        if source == self._source:
            self._use_track_gain(gain)

    def _use_track_gain(self, gain: float) -> None:
        self._track_gain = gain
        if self._gapless is not None:
            self._gapless.set_track_gain(self.generation, gain)
        else:
            self._apply_volume()

    def _apply_volume(self) -> None:
        if self._gapless is not None:
            self._gapless.set_gain(self._pcm_gain)
        elif self._pcm_sink is None:
            # libvlc's own output: the track's gain folded into its (cubic) volume, up to the
            # 200% it allows.
            self._player.audio_set_volume(min(200, round(self._volume
                                                         * self._track_gain ** (1 / 3))))

    def set_equalizer(self, equalizer):
        super().set_equalizer(equalizer)
        if equalizer is None:
            self._vlc_equalizer = None
            for deck in self._decks():
                deck.player.set_equalizer(None)
            return
        settings = vlc.AudioEqualizer()
        settings.set_preamp(equalizer.preamp_db + EQUALIZER_HEADROOM_DB)
        for band, gain in enumerate(equalizer.gains_db):
            settings.set_amp_at_index(gain, band)
        self._vlc_equalizer = settings  # libvlc copies it, but keep it until the next one anyway
        for deck in self._decks():
            deck.player.set_equalizer(settings)

    def output_devices(self):
        if self._gapless is not None:
            return self._gapless.device.outputs()
        if self._pcm_sink is not None:
            return []  # Prelude takes the samples itself: there is no device to choose
        devices, first = [], self._player.audio_output_device_enum()
        node = first
        while node:
            devices.append((_text(node.contents.device), _text(node.contents.description)))
            node = node.contents.next
        if first:
            vlc.libvlc_audio_output_device_list_release(first)
        return devices

    def set_output_device(self, device):
        super().set_output_device(device)
        if self._gapless is not None:
            self._gapless.use_device(device or None)
        elif self._pcm_sink is None:
            # libvlc 3 applies a device to the audio output the player holds (made with the
            # player, kept while it only changes media); "" is the system's choice.
            self._player.audio_output_device_set(None, device or "")

    def position_ms(self):
        outgoing = self._outgoing
        if outgoing is not None:  # the track still heard, not the one fading in after it
            return outgoing[1]["_position_base_ms"] + self._gapless.played_ms(outgoing[0])
        if self._gapless is not None:
            return self._position_base_ms + self._gapless.played_ms(self.generation)
        return max(0, self._player.get_time())

    def duration_ms(self):
        length = self._player.get_length()
        return length if length > 0 else self._duration

    def close(self):
        if self._gapless is not None:
            if self._decoded_to_end and self.state != EngineState.PAUSED:
                self._gapless.finish_and_wait()  # `prelude play` ends after the tail
            self._gapless.clear()  # wakes libvlc's audio thread if it waits for room
        with self._decks_lock:
            for deck in self._decks():
                deck.player.stop()
                deck.player.release()
            self._spare = None
        self._instance.release()
        if self._gapless is not None:
            self._gapless.close()


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value or "")
