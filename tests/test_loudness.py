"""Loudness owned by Prelude: ReplayGain / R128 tags read from every format, tracks without
them measured on this machine (EBU R128, an album as a whole), and the gain applied in
Prelude's own output, heard at a real sound server."""

from __future__ import annotations

import subprocess
import threading

import numpy as np
import pyebur128
import pytest
from mutagen.mp4 import MP4, MP4FreeForm

from app.loudness.analyser import LoudnessAnalyser, LoudnessMeasured
from app.loudness.gain import PEAK_CEILING, playback_gain
from app.loudness.measure import measure_album
from app.models import Loudness
from app.settings import REPLAY_GAIN
from app.store.loudness import LoudnessStore
from tests.audio import heard_playing, require_ffmpeg
from tests.cli import run_prelude

CODECS = {".mp3": ["-c:a", "libmp3lame", "-b:a", "192k"], ".flac": ["-c:a", "flac"],
          ".ogg": ["-c:a", "libvorbis"], ".opus": ["-c:a", "libopus", "-b:a", "128k"],
          ".m4a": ["-c:a", "aac", "-b:a", "192k"], ".wav": []}


def _tone(path, hz: float, peak_dbfs: float, seconds: float = 3.0, **tags):
    """A stereo sine whose peak is at peak_dbfs (a 997 Hz one is then that many LUFS)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = [part for key, value in tags.items() for part in ("-metadata", f"{key}={value}")]
    # lavfi's sine peaks at 1/8 (-18.06 dBFS): the volume filter takes it where it is asked
    # (pan, not -ac 2: ffmpeg's upmix puts a mono source 3 dB lower in each channel).
    subprocess.run([require_ffmpeg(), "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency={hz}:duration={seconds}:sample_rate=44100", "-af",
                    f"pan=stereo|c0=c0|c1=c0,volume={peak_dbfs + 18.06:.2f}dB",
                    *CODECS[path.suffix],
                    *metadata, str(path)], check=True)
    return path


def test_replay_gain_and_r128_tags_are_read_from_every_format(tmp_path, services):
    music = tmp_path / "music"
    rg = {"REPLAYGAIN_TRACK_GAIN": "-6.50 dB", "REPLAYGAIN_TRACK_PEAK": "0.501187",
          "REPLAYGAIN_ALBUM_GAIN": "-7.25 dB", "REPLAYGAIN_ALBUM_PEAK": "0.6"}
    for ext in (".mp3", ".flac", ".ogg"):
        _tone(music / f"tagged{ext}", 440, -6, 1.0, title=f"Tagged {ext}", **rg)
    # Opus keeps R128 gains: Q7.8 dB against -23 LUFS (-1024/256 = -4 dB, so -4 + 5 = 1 dB).
    _tone(music / "tagged.opus", 440, -6, 1.0, title="Tagged .opus", R128_TRACK_GAIN="-1024",
          R128_ALBUM_GAIN="-1536")
    m4a = _tone(music / "tagged.m4a", 440, -6, 1.0, title="Tagged .m4a")
    tagged = MP4(m4a)  # iTunes freeform atoms, as taggers write them (ffmpeg cannot)
    tagged["----:com.apple.iTunes:replaygain_track_gain"] = [MP4FreeForm(b"-3.00 dB")]
    tagged["----:com.apple.iTunes:replaygain_track_peak"] = [MP4FreeForm(b"0.25")]
    tagged.save()
    _tone(music / "untagged.flac", 440, -6, 1.0, title="Untagged")
    services.library.add(music)
    services.library.rescan()
    store = LoudnessStore(services.db)
    found = {t.title: store.get(t.id) for t in services.tracks.search("")}
    for ext in (".mp3", ".flac", ".ogg"):
        assert found[f"Tagged {ext}"] == Loudness(-6.5, 0.501187, -7.25, 0.6, "tags"), ext
    assert found["Tagged .opus"] == Loudness(1.0, None, -1.0, None, "tags")
    assert found["Tagged .m4a"] == Loudness(-3.0, 0.25, None, None, "tags")
    assert found["Untagged"] is None  # measured in the background, see below


def test_the_gain_levels_to_the_reference_and_never_raises_a_peak_past_minus_1_dbtp():
    quiet = Loudness(12.0, 0.05, 6.0, 0.1)
    assert playback_gain(quiet, "off") == 1.0
    assert playback_gain(quiet, "track") == pytest.approx(10 ** (12 / 20))
    assert playback_gain(quiet, "album") == pytest.approx(10 ** (6 / 20))
    assert playback_gain(quiet, "track", preamp_db=-3) == pytest.approx(10 ** (9 / 20))
    peaky = Loudness(12.0, 0.5)  # +12 dB would take its peak to 2.0: held at -1 dBTP
    assert playback_gain(peaky, "track") * 0.5 == pytest.approx(PEAK_CEILING)
    assert playback_gain(Loudness(0.0, origin="unreadable"), "track") == 1.0
    assert playback_gain(None, "album") == 1.0


def test_tracks_without_tags_are_measured_and_an_album_as_a_whole(tmp_path, services):
    """A 997 Hz sine peaking at P dBFS in both channels is P LUFS (BS.1770's calibration):
    ReplayGain 2.0 brings it to -18 LUFS with a gain of -18 - P dB."""
    album = tmp_path / "music" / "Levels"
    loud = _tone(album / "01 Loud.flac", 997, -10, ARTIST="Level", ALBUM="Levels", TRACK="1",
                 TITLE="Loud")
    quiet = _tone(album / "02 Quiet.m4a", 997, -30, ARTIST="Level", ALBUM="Levels", TRACK="2",
                  TITLE="Quiet")  # AAC: libsndfile cannot read it, libvlc decodes it
    services.library.add(tmp_path / "music")
    services.library.rescan()
    measured = threading.Event()
    services.bus.subscribe(LoudnessMeasured, lambda event: measured.set())
    analyser = LoudnessAnalyser(services.profile.database_path,
                                services.profile.cache_dir / "audio", services.bus.publish)
    try:
        analyser.poke()
        assert measured.wait(120)
        assert analyser.idle.wait(120)
    finally:
        analyser.close()
    store = LoudnessStore(services.db)
    found = {t.title: store.get(t.id) for t in services.tracks.search("")}
    assert found["Loud"].origin == "measured" == found["Quiet"].origin
    assert found["Loud"].track_gain_db == pytest.approx(-8.0, abs=0.2)
    assert found["Quiet"].track_gain_db == pytest.approx(12.0, abs=0.3)
    assert found["Loud"].track_peak == pytest.approx(10 ** (-10 / 20), rel=0.03)  # true peak
    # The album measured as one: its gain is that of the two files played as one (to 0.3 dB:
    # the blocks R128 gates straddle the join there). The quiet song is more than 10 LU below
    # the loud one, so R128's relative gate leaves it out: the album is about as loud as it.
    both = tmp_path / "both.wav"
    subprocess.run([require_ffmpeg(), "-loglevel", "error", "-y", "-i", str(loud), "-i",
                    str(quiet), "-filter_complex", "concat=n=2:v=0:a=1", str(both)], check=True)
    whole = measure_album([both])[0]
    assert found["Loud"].album_gain_db == pytest.approx(whole.track_gain_db, abs=0.3)
    assert found["Quiet"].album_gain_db == found["Loud"].album_gain_db
    assert found["Loud"].album_peak == pytest.approx(found["Loud"].track_peak)


def _lufs(stereo: np.ndarray) -> float:
    state = pyebur128.R128State(2, 44100, pyebur128.MeasurementMode.MODE_I)
    samples = np.ascontiguousarray(stereo, dtype=np.float64) / 32768.0
    state.add_frames(samples.ravel(), samples.shape[0])
    return pyebur128.get_loudness_global(state)


def test_levelled_tracks_are_heard_at_one_loudness_at_the_sound_server(tmp_path):
    """Three tracks 24 dB apart (tags on one, measured on two: MP3 and AAC) played by
    `prelude play` through the default output to a real sound server: with levelling on,
    each is heard at -18 LUFS, within 1 LU."""
    album = tmp_path / "music" / "Levels"
    _tone(album / "01 Loud.mp3", 997, -8, ARTIST="Level", ALBUM="Levels", TRACK="1",
          TITLE="Loud")
    _tone(album / "02 Quiet.m4a", 997, -32, ARTIST="Level", ALBUM="Levels", TRACK="2",
          TITLE="Quiet")
    _tone(album / "03 Tagged.flac", 997, -6, ARTIST="Level", ALBUM="Levels", TRACK="3",
          TITLE="Tagged", REPLAYGAIN_TRACK_GAIN="-12.00 dB", REPLAYGAIN_TRACK_PEAK="0.501187")
    data = tmp_path / "data"
    assert run_prelude(data, "scan", str(tmp_path / "music")).returncode == 0
    from app.paths import resolve_profile
    from app.services import Services

    with Services.open(resolve_profile(data)) as services:
        services.settings.write(REPLAY_GAIN, "track")
        measured = threading.Event()
        services.bus.subscribe(LoudnessMeasured, lambda event: measured.set())
        services.loudness.poke()
        assert measured.wait(120) and services.loudness.idle.wait(120)
    heard = heard_playing(tmp_path, data, "Levels")
    loud = np.flatnonzero(np.abs(heard).max(axis=1) > 100)
    assert loud.size
    heard = heard[loud[0]:]
    levels = [_lufs(heard[int((3 * n + 0.3) * 44100): int((3 * n + 2.7) * 44100)])
              for n in range(3)]
    assert all(abs(level + 18) <= 1.0 for level in levels), levels
    peak = np.abs(heard).max() / 32768
    assert 20 * np.log10(peak) <= -1.0


class _Halves:
    """A PCM sink that keeps what was decoded before and after a switch, and says when it
    holds enough of either."""

    def __init__(self):
        self.parts: dict[bool, list[bytes]] = {False: [], True: []}
        self.switched = False
        self._grew = threading.Condition()

    def __call__(self, pcm: bytes) -> None:
        with self._grew:
            self.parts[self.switched].append(pcm)
            self._grew.notify_all()

    def switch(self) -> None:
        with self._grew:
            self.switched = True

    def wait_for(self, after: bool, seconds: float) -> np.ndarray:
        with self._grew:
            assert self._grew.wait_for(
                lambda: sum(map(len, self.parts[after])) >= seconds * 44100 * 4, 30)
            return np.frombuffer(b"".join(self.parts[after]), np.int16)


def test_a_new_levelling_mode_is_heard_at_once_in_the_playing_track(tmp_path, services):
    """Not from the next track, nor from libvlc's next instance: in the track playing."""
    from app.playback.vlc_engine import VlcEngine
    from app.store.loudness import save_loudness

    _tone(tmp_path / "music" / "long.flac", 997, -6, 6.0, TITLE="Long")
    services.library.add(tmp_path / "music")
    services.library.rescan()
    track = services.tracks.search("")[0]
    with services.db.transaction() as conn:
        save_loudness(conn, track.id, Loudness(-12.0, 0.5012))
    halves = _Halves()
    player = services.start_player(VlcEngine(pcm_sink=halves))
    player.play_tracks([track.id])
    before = halves.wait_for(after=False, seconds=1.0)  # decoded as it was made
    player.set_replay_gain("track").result(10)
    halves.switch()  # from here on, decoded after the switch
    after = halves.wait_for(after=True, seconds=1.0)
    ratio_db = 20 * np.log10(np.abs(after[-8820:]).max() / np.abs(before[-8820:]).max())
    assert ratio_db == pytest.approx(-12.0, abs=0.5)
    player.call(lambda: None)


@pytest.mark.parametrize("trim", [True, False])
def test_silence_trimming_ends_a_track_where_its_music_ends(tmp_path, trim):
    """A track of 2 s of music and 3 s of silence, then another, through `prelude play` to a
    real sound server: trimmed, the second's music follows the first's at once (the ends
    were measured by the analyser); not trimmed, the 3 s are heard."""
    from app.bench.transitions_bench import _silence_between_ms, _write_trim_tracks
    from app.paths import resolve_profile
    from app.services import Services
    from app.settings import TRIM_SILENCE

    music = tmp_path / "music"
    music.mkdir()
    _write_trim_tracks(music)
    data = tmp_path / "data"
    with Services.open(resolve_profile(data)) as services:
        services.library.add(music)
        services.library.rescan()
        services.settings.write(TRIM_SILENCE, trim)
        measured = threading.Event()
        services.bus.subscribe(LoudnessMeasured, lambda event: measured.set())
        services.loudness.poke()
        assert measured.wait(120) and services.loudness.idle.wait(120)
        ends = {t.title: LoudnessStore(services.db).get(t.id) for t in services.tracks.search("")}
    assert ends["Trim 1"].music_start_ms == 0
    assert ends["Trim 1"].music_end_ms == pytest.approx(2000, abs=30)
    silence_ms = _silence_between_ms(heard_playing(tmp_path, data, "Trim") / 32768)
    if trim:
        assert silence_ms <= 50
    else:
        assert silence_ms == pytest.approx(3000, abs=50)


def test_a_track_measured_while_it_plays_is_levelled_from_then_on(tmp_path):
    """`prelude play` with levelling on and nothing measured yet: the analyser starts with
    the player, and the playing track's gain changes once it is measured (at the sink: the
    end of a -30 LUFS track heard at -18)."""
    from app.paths import resolve_profile
    from app.services import Services

    _tone(tmp_path / "music" / "quiet.flac", 997, -30, 12.0, TITLE="Quiet Start")
    data = tmp_path / "data"
    with Services.open(resolve_profile(data)) as services:
        services.library.add(tmp_path / "music")
        services.library.rescan()
        services.settings.write(REPLAY_GAIN, "track")
    heard = heard_playing(tmp_path, data, "Quiet Start")
    loud = np.flatnonzero(np.abs(heard).max(axis=1) > 100)
    tail = heard[loud[-1] - 3 * 44100: loud[-1] - 22050]  # its last seconds, whole
    assert _lufs(tail) == pytest.approx(-18, abs=1.0)
    with Services.open(resolve_profile(data)) as services:
        track = services.tracks.search("")[0]
        assert LoudnessStore(services.db).get(track.id).origin == "measured"


def test_a_gain_change_at_a_gapless_cut_lands_on_the_cut(tmp_path):
    """One tone cut in two FLACs, tagged 6 dB apart, levelled by track through the default
    output to a real sound server: no silence at the cut, and the level steps there (the
    gain belongs to each track's own samples, not to whatever the device plays meanwhile)."""
    from app.bench.gap_bench import make_cut_tone
    from app.bench.pcm_analysis import longest_silence_s
    from app.library.tags import write_tags

    music = tmp_path / "music"
    music.mkdir()
    first, second = make_cut_tone(music, "flac")
    write_tags(first, replaygain_track_gain="-6.00 dB", replaygain_track_peak="0.3")
    write_tags(second, replaygain_track_gain="0.00 dB", replaygain_track_peak="0.3")
    data = tmp_path / "data"
    assert run_prelude(data, "scan", str(music)).returncode == 0
    from app.paths import resolve_profile
    from app.services import Services

    with Services.open(resolve_profile(data)) as services:
        services.settings.write(REPLAY_GAIN, "track")
    heard = heard_playing(tmp_path, data, "Gapless flac").mean(axis=1) / 32768
    loud = np.flatnonzero(np.abs(heard) > 0.02)
    tone = heard[loud[0]: loud[-1] + 1]
    assert longest_silence_s(tone) < 0.001  # still gapless
    cut = 3 * 44100  # each part is 3 s
    before = np.abs(tone[cut - 4410: cut - 441]).max()
    after = np.abs(tone[cut + 441: cut + 4410]).max()
    assert 20 * np.log10(after / before) == pytest.approx(6.0, abs=0.5)
    # The step is at the cut: 10 ms either side of it already at each part's level.
    assert np.abs(tone[cut - 441: cut - 10]).max() == pytest.approx(before, rel=0.05)
    assert np.abs(tone[cut + 10: cut + 441]).max() == pytest.approx(after, rel=0.05)
