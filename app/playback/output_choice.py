"""Which audio output the engine plays through.

By default Prelude's own gapless output on PortAudio's default device, in a process of its own
(app/playback/audio_process.py); libvlc's own output modules when PortAudio or a device is
missing, or when one is named (`--audio-output pulse`), or `none` for silent decoding.
"""

from __future__ import annotations

import os

from app.errors import PlaybackError
from app.playback import vlc_engine
from app.playback.engine import Engine
from app.playback.vlc_engine import AUDIO_OUTPUT_ENV, GAPLESS_OUTPUT, VlcEngine


def open_vlc_engine(audio_output: str | None = None) -> Engine:
    name = audio_output or os.environ.get(AUDIO_OUTPUT_ENV) or None
    if name not in (None, GAPLESS_OUTPUT):
        return VlcEngine(audio_output=name)  # libvlc's own output needs no Python for sound
    if vlc_engine.vlc is None:
        raise PlaybackError(vlc_engine.missing_vlc_message())
    from app.playback.audio_process import AudioProcessEngine  # noqa: PLC0415

    return AudioProcessEngine(name)


def open_in_process(audio_output: str | None = None) -> VlcEngine:
    """The default output, built where it plays (the audio process)."""
    from app.playback.gapless_output import system_gapless_output  # noqa: PLC0415

    name = audio_output or os.environ.get(AUDIO_OUTPUT_ENV) or None
    if name in (None, GAPLESS_OUTPUT):
        output = system_gapless_output()
        if output is not None:
            return VlcEngine(gapless=output)
        engine = VlcEngine()
        if name == GAPLESS_OUTPUT and engine.output_note is None:
            engine.output_note = ("No sound device was found through PortAudio, so tracks play "
                                  "through VLC's own output (with a short gap between them).")
        return engine
    return VlcEngine(audio_output=name)
