"""The real window over the tone library, shown offscreen, for the GUI test modules."""

from __future__ import annotations

from contextlib import contextmanager

from ui.main import build_window

WAIT_MS = 30_000


@contextmanager
def library_window(qtbot, services, music, engine):
    """Scan `music`, start the player on `engine`, show the window once the table is filled."""
    services.library.add(music)
    services.library.scanner.scan([music])
    services.start_player(engine)
    window = build_window(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.library_model.rowCount() == services.tracks.count(), timeout=WAIT_MS)
    try:
        yield window
    finally:
        window.bridge.detach()
