"""Which audio output the engine plays through.

By default Prelude's own gapless output on PortAudio's default device; libvlc's own output
modules when PortAudio or a device is missing, or when one is named (`--audio-output pulse`),
or `none` for silent decoding.
"""

from __future__ import annotations

import os

from app.playback.vlc_engine import AUDIO_OUTPUT_ENV, GAPLESS_OUTPUT, VlcEngine


def open_vlc_engine(audio_output: str | None = None) -> VlcEngine:
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
