"""Prelude's gapless output on a simulated real-time card (no sound device in tests); a
module-level function, so the audio process can build it too."""

from __future__ import annotations

from app.bench.simulated_card import SimulatedCard
from app.playback.gapless_output import GaplessOutput
from app.playback.vlc_engine import VlcEngine


def gapless_on_a_simulated_card(audio_output: str | None = None) -> VlcEngine:
    return VlcEngine(gapless=GaplessOutput(SimulatedCard()))
