"""Crossfades and smart transitions: the mixing in Prelude's output (the ring a device plays
from), how each track's ending is measured, which transition is chosen, and the fade heard at a
real sound server through `prelude play`."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from app.loudness.track_ends import ABRUPT, FADES, PLAIN, LevelEnvelope
from app.models import Loudness, Track
from app.playback.engine import Crossfade
from app.playback.pcm_ring import RATE, PcmRing
from app.playback.transitions import TransitionSettings, choose, follows_in_album, on_skip
from tests.audio import heard_playing


def _tone(seconds: float, hz: float, amplitude: float = 8000.0) -> bytes:
    t = np.arange(int(seconds * RATE)) / RATE
    mono = (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.int16)
    return np.repeat(mono, 2).tobytes()


def _play_all(ring: PcmRing, step_frames: int = 1024) -> tuple[np.ndarray, list[int]]:
    """Take everything the ring plays, as a device would: (mono float samples, the
    generation of each piece's frames, with a crossfade's mix marked negative)."""
    samples, tags = [], []
    while True:
        pieces = ring.take(step_frames)
        if not pieces:
            return np.concatenate(samples), tags
        for generation, pcm in pieces:
            mono = np.frombuffer(pcm, dtype=np.int16).reshape(-1, 2)[:, 0].astype(np.float64)
            samples.append(mono * ring.gain_of(generation) / ring.gain)
            tags += [generation] * mono.shape[0]


def _level(samples: np.ndarray, hz: float) -> np.ndarray:
    """The amplitude of the `hz` component in 50 ms steps: a whole number of periods of 440
    and 660 Hz and of their sum and difference, so the other tone averages out."""
    window = RATE // 20
    t = np.arange(samples.shape[0]) / RATE
    product = samples * np.exp(-2j * np.pi * hz * t)
    whole = samples.shape[0] // window * window
    return 2 * np.abs(product[:whole].reshape(-1, window).mean(axis=1))


def _feed(ring: PcmRing, pcm: bytes, generation: int) -> None:
    for start in range(0, len(pcm), 4096):
        ring.write(pcm[start:start + 4096], generation)


def test_a_crossfade_mixes_the_incoming_over_the_last_seconds_of_the_outgoing_at_equal_power():
    ring = PcmRing(ahead_s=30.0)
    _feed(ring, _tone(4.0, 440), 1)
    ring.crossfade(2, 1, at_ms=4000 - 1500, fade_ms=1500)
    _feed(ring, _tone(3.0, 660), 2)
    ring.decoded_to_end(1)
    heard, tags = _play_all(ring)
    assert heard.shape[0] == int(5.5 * RATE)  # 4 + 3 s, overlapping by 1.5
    assert tags[int(2.5 * RATE) - 1] == 1 and tags[int(2.5 * RATE)] == -2
    a, b = _level(heard, 440), _level(heard, 660)
    steps = np.arange(a.shape[0]) * 0.05
    assert a[steps < 2.4].min() > 7900 and b[steps < 2.4].max() < 100  # the first alone
    assert b[steps > 4.1].min() > 7900 and a[steps > 4.1].max() < 100  # then the second
    fade = (steps > 2.55) & (steps < 3.95)
    power_db = 10 * np.log10((a[fade] ** 2 + b[fade] ** 2) / 8000 ** 2)
    assert np.abs(power_db).max() < 0.2  # equal power all through
    middle = np.argmin(np.abs(steps - 3.25))
    assert a[middle] == pytest.approx(8000 / np.sqrt(2), rel=0.03)


def test_the_fade_is_placed_exactly_once_the_outgoing_track_is_decoded_to_its_end():
    """Where its length was stated wrong (a container's duration), the decoder's end puts the
    fade over its real last seconds."""
    ring = PcmRing(ahead_s=30.0)
    _feed(ring, _tone(3.0, 440), 1)
    ring.crossfade(2, 1, at_ms=5000 - 1000, fade_ms=1000)  # "5 s long"
    ring.decoded_to_end(1)
    _feed(ring, _tone(2.0, 660), 2)
    heard, tags = _play_all(ring)
    assert heard.shape[0] == 4 * RATE
    assert tags.index(-2) == 2 * RATE


def test_an_incoming_track_not_ready_in_time_follows_without_a_fade_rather_than_late():
    ring = PcmRing(ahead_s=30.0)
    _feed(ring, _tone(2.0, 440), 1)
    ring.crossfade(2, 1, at_ms=1000, fade_ms=1000)
    first, _ = _play_all(ring)  # played to the fade: the next one has no audio yet
    ring.decoded_to_end(1)
    _feed(ring, _tone(1.0, 660), 2)
    rest, tags = _play_all(ring)
    assert first.shape[0] + rest.shape[0] == 3 * RATE  # one after the other, whole
    assert -2 not in tags
    assert _level(np.concatenate([first, rest]), 440)[2:38].min() > 7900  # never faded


def test_a_fade_on_skip_starts_when_the_new_track_has_audio_and_the_old_one_goes_with_it():
    ring = PcmRing(ahead_s=30.0)
    _feed(ring, _tone(5.0, 440), 1)
    ring.take(RATE)  # a second heard
    ring.crossfade(2, 1, at_ms=None, fade_ms=500)
    assert ring.take(RATE // 10)[0][0] == 1  # the old one plays on until the new one is there
    faded = []
    ring.on_fade_done = faded.append
    _feed(ring, _tone(2.0, 660), 2)
    heard, tags = _play_all(ring)
    assert tags[0] == -2 and tags[int(0.5 * RATE)] == 2
    assert heard.shape[0] == 2 * RATE  # the rest of the old track is dropped after its fade
    assert faded == [1]
    _feed(ring, _tone(1.0, 440), 1)  # what its decoder still hands over is dropped
    assert ring.queued_s() == 0


def test_a_pause_inside_a_fade_gives_back_the_mix_and_the_fade_goes_on_where_it_was():
    ring = PcmRing(ahead_s=30.0)
    _feed(ring, _tone(3.0, 440), 1)
    ring.crossfade(2, 1, at_ms=2000, fade_ms=1000)
    _feed(ring, _tone(2.0, 660), 2)
    ring.decoded_to_end(1)
    whole_ring = PcmRing(ahead_s=30.0)  # the same without a pause
    _feed(whole_ring, _tone(3.0, 440), 1)
    whole_ring.crossfade(2, 1, at_ms=2000, fade_ms=1000)
    _feed(whole_ring, _tone(2.0, 660), 2)
    whole_ring.decoded_to_end(1)
    expected, _ = _play_all(whole_ring)
    before = [p for p in ring.take(int(2.5 * RATE))]
    unheard = [p for p in before if p[0] < 0][-3:]  # the device held the last mixed pieces
    ring.pause()
    ring.give_back(unheard)
    ring.resume()
    held = sum(len(pcm) for _, pcm in unheard) // 4
    heard_first = np.concatenate([np.frombuffer(pcm, dtype=np.int16).reshape(-1, 2)[:, 0]
                                  for _, pcm in before]).astype(np.float64)[:-held]
    rest, _ = _play_all(ring)
    assert np.array_equal(np.concatenate([heard_first, rest]), expected)
    assert ring.played_frames(2) == 3 * RATE - 2 * RATE + 2 * RATE - RATE


def _envelope_of(levels_db: list[float]) -> LevelEnvelope:
    envelope = LevelEnvelope()
    for level in levels_db:
        amplitude = 10 ** (level / 20)
        envelope.add(np.full((4410, 2), amplitude), 44100)
    return envelope


def test_a_tracks_ending_is_told_apart_fade_out_abrupt_or_plain():
    steady = [-12.0] * 150
    fading = _envelope_of(steady + list(np.linspace(-12, -45, 60)))  # 6 s fade-out
    kind, fade_ms = fading.ending(21000)
    assert kind == FADES and fade_ms == pytest.approx(5500, abs=300)
    assert _envelope_of(steady).ending(15000) == (ABRUPT, 0)
    last_note = _envelope_of(steady + list(np.linspace(-12, -20, 8)))  # a note dying away
    assert last_note.ending(15800) == (PLAIN, 0)


def _track(number: int, album: int | None = 1, disc: int | None = None) -> Track:
    return Track(number, "local", f"/music/{number}.flac", f"Song {number}", album_id=album,
                 track_no=number, disc_no=disc)


def test_the_transition_is_chosen_per_pair_of_tracks():
    on = TransitionSettings(crossfade_ms=6000)
    assert choose(_track(1), _track(5, album=2), None, TransitionSettings()).fade is None
    assert choose(_track(1), _track(5, album=2), None, on).fade == Crossfade(6000)
    album = choose(_track(3), _track(4), None, on)
    assert album.fade is None and "album" in album.why  # never across a gapless album
    assert follows_in_album(_track(12, disc=1), Track(20, "local", "x", "x", album_id=1,
                                                      track_no=1, disc_no=2))
    assert not follows_in_album(_track(3), _track(5))  # the album, out of order: a fade
    fades = Loudness(0.0, end_kind=FADES, fade_out_ms=4200)
    chosen = choose(_track(1), _track(5, album=2), fades, on)
    assert chosen.fade == Crossfade(4200, fade_out=False) and "fade-out" in chosen.why
    long_fade = Loudness(0.0, end_kind=FADES, fade_out_ms=9000)
    assert choose(_track(1), _track(5, album=2), long_fade, on).fade == Crossfade(6000, False)
    abrupt = choose(_track(1), _track(5, album=2), Loudness(0.0, end_kind=ABRUPT), on)
    assert abrupt.fade is None and "hard cut" in abrupt.why
    plain = TransitionSettings(crossfade_ms=6000, smart=False)
    assert choose(_track(1), _track(5, album=2), fades, plain).fade == Crossfade(6000)
    assert on_skip(on) is None  # a skip is immediate...
    assert on_skip(TransitionSettings(6000, fade_on_skip=True)) == Crossfade(3000)  # unless


def test_a_writer_of_the_incoming_track_waits_for_its_fade_without_giving_up():
    """The incoming decoder fills its own queue and waits there (as long as the outgoing
    plays), never dropping audio as a writer to a stuck device would."""
    ring = PcmRing(ahead_s=0.2)
    ring.write(_tone(0.2, 440), 1)
    ring.crossfade(2, 1, at_ms=0, fade_ms=100)
    ring.write(_tone(0.2, 660), 2)
    done = threading.Event()
    threading.Thread(target=lambda: (ring.write(_tone(0.1, 660), 2), done.set()),
                     daemon=True).start()
    assert not done.wait(2.5)  # longer than a stuck device's wait
    ring.decoded_to_end(1)
    _play_all(ring)
    assert done.wait(5)


def _library(tmp_path, crossfade_s: int, smart: bool = False, **more):
    """A profile with the music folder scanned, measured, and the crossfade set."""
    from app.paths import resolve_profile
    from app.services import Services
    from app.settings import CROSSFADE_S, SMART_TRANSITIONS

    data = tmp_path / "data"
    with Services.open(resolve_profile(data)) as services:
        services.library.add(tmp_path / "music")
        services.library.rescan()
        services.settings.write(CROSSFADE_S, crossfade_s)
        services.settings.write(SMART_TRANSITIONS, smart)
        for key, value in more.items():
            services.settings.write(key, value)
        services.loudness.poke()
        assert services.loudness.idle.wait(120)
    return data


@pytest.mark.parametrize("seconds", [2, 5])
def test_a_crossfade_is_heard_at_the_sound_server_over_the_length_set(tmp_path, seconds):
    """Two tones of different albums through `prelude play`, the default output and a real
    sound server: heard together for the crossfade's length, at equal power, the first one's
    end meeting the second's start."""
    from app.bench.crossfade_analysis import heard_fade, write_fade_pair

    (tmp_path / "music").mkdir()
    write_fade_pair(tmp_path / "music", 8.0, "Fade")
    data = _library(tmp_path, seconds)
    fade = heard_fade(heard_playing(tmp_path, data, "Fade") / 32768)
    assert fade.overlap_ms == pytest.approx(seconds * 1000, abs=40)
    assert fade.outgoing_ms == pytest.approx(8000, abs=40)  # its end, not cut short or late
    assert fade.level_dev_db < 1.5


def test_an_album_played_in_order_stays_gapless_with_crossfade_on(tmp_path):
    from app.bench.gap_bench import make_cut_tone
    from app.bench.pcm_analysis import longest_silence_s

    (tmp_path / "music").mkdir()
    make_cut_tone(tmp_path / "music", "flac")
    data = _library(tmp_path, 6)
    heard = heard_playing(tmp_path, data, "Gapless flac").mean(axis=1) / 32768
    loud = np.flatnonzero(np.abs(heard) > 0.02)
    tone = heard[loud[0]: loud[-1] + 1]
    assert longest_silence_s(tone) < 0.001
    assert tone.shape[0] == pytest.approx(6 * RATE, abs=RATE // 100)  # both parts, whole


def test_a_track_that_fades_out_overlaps_the_next_by_its_own_fade(tmp_path):
    """Smart transitions: a song with a 3 s fade-out of its own, crossfade set to 8 s: the next
    one starts 3 s before the first ends (measured by the analyser), not 8."""
    import soundfile

    from app.library.tags import write_tags

    music = tmp_path / "music"
    music.mkdir()
    t = np.arange(int(9 * RATE)) / RATE
    fading = 0.25 * np.sin(2 * np.pi * 440 * t) * np.clip((9 - t) / 3, 0, 1) ** 2
    steady = 0.25 * np.sin(2 * np.pi * 660 * t[: 4 * RATE])
    for number, (name, tone) in enumerate((("Smart 1", fading), ("Smart 2", steady)), 1):
        path = music / f"{name}.flac"
        soundfile.write(path, np.stack([tone, tone], axis=1), RATE, format="FLAC",
                        subtype="PCM_16")
        write_tags(path, title=name, artist="Bench", album=f"Smart {number}", tracknumber="1")
    data = _library(tmp_path, 8, smart=True)
    heard = heard_playing(tmp_path, data, "Smart").mean(axis=1) / 32768
    first = np.flatnonzero(np.abs(heard) > 0.01)[0]
    second = _level(heard[first:], 660)
    starts_s = np.flatnonzero(second > 0.01)[0] * 0.05  # 4% of its level: it has begun
    # Its fade-out, measured: from 2.5 s before its end (3 dB down) to where it falls under
    # -60 dBFS. So the next starts ~2.3 s before its 9 s end; an 8 s fade would start at 1 s.
    assert 6.3 < starts_s < 7.0


def test_the_queue_says_how_the_next_track_comes_in(qtbot, services, tone_library,
                                                    recorder_factory):
    """The player plans each transition as the queue moves, and the queue's tooltip for the
    next track says it: a crossfade between albums, a gapless cut inside one."""
    from app.playback.events import TransitionPlanned
    from app.playback.null_engine import NullEngine
    from ui.models.queue_model import QueueModel
    from ui.models.roles import TOOLTIP

    services.library.add(tone_library)
    services.library.rescan()
    tracks = sorted(services.tracks.search(""), key=lambda t: (t.album_id, t.track_no))
    first, same_album = tracks[0], tracks[1]
    other_album = next(t for t in tracks if t.album_id != first.album_id)
    planned = recorder_factory(services.bus, TransitionPlanned)
    player = services.start_player(NullEngine())
    player.set_crossfade(6)
    player.play_tracks([first.id, other_album.id])
    planned.wait_for(lambda r: any(e.why == "Crossfade, 6 s" for e in r.of(TransitionPlanned)))
    assert planned.of(TransitionPlanned)[-1].track_id == other_album.id
    player.play_tracks([first.id, same_album.id])
    planned.wait_for(lambda r: r.of(TransitionPlanned)[-1].track_id == same_album.id)
    assert "album" in planned.of(TransitionPlanned)[-1].why
    player.stop().result(10)

    model = QueueModel(services.tracks)
    model.set_queue((first.id, other_album.id), 0)
    model.set_next_transition(other_album.id, "Crossfade, 6 s")
    assert model.data(model.index(1), TOOLTIP).endswith("\nComing in: Crossfade, 6 s")
    assert "Coming in" not in model.data(model.index(0), TOOLTIP)


def _tones_of_their_own_albums(tmp_path, name: str, pitches, seconds: float):
    """FLACs of steady tones ("NAME 1", "NAME 2", ...), each of an album of its own (so a
    crossfade between them is allowed), in tmp_path/music."""
    import soundfile

    from app.library.tags import write_tags

    music = tmp_path / "music"
    music.mkdir()
    for number, hz in enumerate(pitches, 1):
        t = np.arange(int(seconds * RATE)) / RATE
        tone = 0.2 * np.sin(2 * np.pi * hz * t)
        path = music / f"{name} {number}.flac"
        soundfile.write(path, np.stack([tone, tone], axis=1), RATE, format="FLAC",
                        subtype="PCM_16")
        write_tags(path, title=f"{name} {number}", artist="Bench", album=f"{name} {number}",
                   tracknumber="1")


def test_a_skip_in_the_middle_of_a_crossfade_silences_both_tracks_at_once(tmp_path,
                                                                         recorder_factory):
    """Three tones of three albums, crossfade 5 s, through the default output to a real sound
    server: skipping while the first two are mixed leaves neither playing, and the third
    follows at once (a skip is immediate, with or without crossfade)."""

    from app.bench.sound_server import PrivatePulse
    from app.paths import resolve_profile
    from app.playback.events import TrackStarted
    from app.playback.output_choice import open_vlc_engine
    from app.services import Services

    _tones_of_their_own_albums(tmp_path, "Skip", (440, 660, 880), 8.0)
    data = _library(tmp_path, 5)
    pulse = PrivatePulse(tmp_path / "pulse")
    pulse.use_in_this_process()
    try:
        with Services.open(resolve_profile(data)) as services:
            ids = [t.id for t in sorted(services.tracks.search(""), key=lambda t: t.title)]
            started = recorder_factory(services.bus, TrackStarted)
            player = services.start_player(open_vlc_engine())
            player.play_tracks(ids)
            started.wait_for(lambda r: len(r.of(TrackStarted)) == 2, timeout=30)
            pulse.wait_for_frames(pulse.frames_so_far() + 2 * RATE)  # into the fade, mixed
            skipped_at = pulse.frames_so_far()
            player.next().result(10)
            pulse.wait_for_frames(pulse.frames_so_far() + 2 * RATE)
            player.shutdown()
        heard = pulse.captured_stereo().mean(axis=1).astype(np.float64) / 32768
    finally:
        pulse.close()
    after = heard[skipped_at:]
    window = RATE // 20
    levels = {hz: _level(after, hz) for hz in (440, 660, 880)}
    third = int(np.flatnonzero(levels[880] > 0.1)[0])
    assert third * window < 0.3 * RATE  # it follows at once (generous: the bench holds it)
    # ...and the two it cut are gone (the last windows left out: the capture ends mid-tone)
    assert levels[440][third + 2: -2].max() < 0.005
    assert levels[660][third + 2: -2].max() < 0.005
    before = _level(heard[skipped_at - RATE: skipped_at], 440)
    assert before.min() > 0.01 and _level(heard[skipped_at - RATE: skipped_at], 660).min() > 0.01


def test_a_fade_between_two_loud_tracks_is_limited_under_the_ceiling_without_clicks():
    """Two loud tones (-1.4 dBFS) in phase, at -3 dB each mid-fade, sum past full scale: held
    under -1 dBFS,
    the limiter's gain moving smoothly (no step a listener hears as a click)."""
    from app.playback.crossfade import ATTACK_PER_FRAME, CEILING, RELEASE_PER_FRAME

    ring = PcmRing(ahead_s=30.0)
    _feed(ring, _tone(3.0, 440, 28000), 1)
    ring.crossfade(2, 1, at_ms=1000, fade_ms=2000)
    t = np.arange(3 * RATE) / RATE + 1.0  # the second tone in phase with the first
    _feed(ring, np.repeat((28000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16), 2).tobytes(), 2)
    ring.decoded_to_end(1)
    heard, _ = _play_all(ring, step_frames=4096)
    assert np.abs(heard).max() <= CEILING + 1
    fade = heard[RATE: 3 * RATE]
    t = np.arange(fade.shape[0]) / RATE
    angle = t / 2.0 * np.pi / 2
    unlimited = 28000 * np.sin(2 * np.pi * 440 * (t + 1.0)) * (np.cos(angle) + np.sin(angle))
    loud = np.flatnonzero(np.abs(unlimited) > 8000)
    gain = fade[loud] / unlimited[loud]
    assert gain.min() < 0.8  # it did hold the sum down...
    assert np.abs(fade).max() > 0.97 * CEILING  # ...to the ceiling, not far below it
    per_frame = np.abs(np.diff(gain)) / np.diff(loud)
    assert per_frame.max() < max(ATTACK_PER_FRAME, RELEASE_PER_FRAME) + 0.002  # never a step


def test_a_fade_set_with_less_of_the_outgoing_left_than_its_length_is_shortened_to_fit():
    """After a seek into the last seconds: the fade ends where the outgoing ends."""
    ring = PcmRing(ahead_s=30.0)
    _feed(ring, _tone(1.0, 440), 1)
    ring.crossfade(2, 1, at_ms=1000 - 3000, fade_ms=3000)  # 1 s left, a 3 s fade
    _feed(ring, _tone(2.0, 660), 2)
    ring.decoded_to_end(1)
    heard, tags = _play_all(ring)
    assert heard.shape[0] == 2 * RATE and tags[0] == -2 and tags[RATE] == 2


def test_a_seek_just_before_a_crossfade_is_heard_seeks_the_track_still_playing(tmp_path):
    """The next track starts decoding ~1.3 s before its fade is heard. A seek in that time is
    for the track the listener hears: it jumps there, the fade is called off, and comes again
    when that track nears its end once more."""

    from app.bench.sound_server import PrivatePulse
    from app.paths import resolve_profile
    from app.playback.output_choice import open_vlc_engine
    from app.services import Services

    _tones_of_their_own_albums(tmp_path, "Seek", (440, 660), 10.0)
    data = _library(tmp_path, 4)
    pulse = PrivatePulse(tmp_path / "pulse")
    pulse.use_in_this_process()
    try:
        with Services.open(resolve_profile(data)) as services:
            ids = [t.id for t in sorted(services.tracks.search(""), key=lambda t: t.title)]
            player = services.start_player(open_vlc_engine())
            started = pulse.frames_so_far()
            player.play_tracks(ids)
            # 5.3 s in: its fade (heard from 6 s) is set up, the next track decoding.
            pulse.wait_for_frames(started + int(5.3 * RATE))
            seek_at = pulse.frames_so_far()
            player.seek(1000).result(10)
            pulse.wait_for_frames(seek_at + 11 * RATE, timeout=40)
            player.shutdown()
        heard = pulse.captured_stereo().mean(axis=1).astype(np.float64) / 32768
    finally:
        pulse.close()
    after = heard[seek_at:]
    first, second = _level(after, 440), _level(after, 660)
    steps = np.arange(first.shape[0]) * 0.05
    assert first[(steps > 0.3) & (steps < 4.5)].min() > 0.15  # the first plays on from 1 s
    assert second[steps < 4.5].max() < 0.01  # the fade did not come early
    both = np.flatnonzero((first > 0.03) & (second > 0.03))
    assert both.size and 4.8 < steps[both[0]] < 5.8  # it came again, 4 s before the end
    assert second[(steps > 9.5) & (steps < 10.5)].min() > 0.15  # and the second one plays
