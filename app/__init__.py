"""Prelude core: library, store, playback. Never imports Qt (a test enforces it)."""

APP_ID = "org.prelude.Player"
APP_NAME = "Prelude"
DIST_NAME = "prelude-player"
__version__ = "0.1.0"
