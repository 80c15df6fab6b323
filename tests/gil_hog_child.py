"""Run by test_sound_server_output: `prelude play --headless` with a thread in the same process
that holds the GIL ~270 ms at a time, back to back (a long C call), as a big JSON parse or sort
would, from the moment the music plays. (Audio that needs this process's GIL for each decoded
block breaks under it.)"""

from __future__ import annotations

import sys
import threading
import time


def hold_the_gil(seconds: float) -> float:
    """One C call that keeps this process's GIL for about `seconds`: no other thread of the
    process runs meanwhile, as during a big JSON parse. Returns how long it held it."""
    start = time.perf_counter()
    sum(range(1_000_000))
    per_item = (time.perf_counter() - start) / 1_000_000
    start = time.perf_counter()
    sum(range(int(seconds / per_item)))
    return time.perf_counter() - start


def hog() -> None:
    while True:  # until the process ends (a daemon thread)
        sorted(range(6_000_000, 0, -1))  # one C call, GIL held throughout


def hog_once_playing() -> None:
    """Hog from the moment the music is heard on: before it, the hog would only slow the
    start-up (every file an import or the keyring's look-up reads waits out a hold: the first
    sound took up to a minute, which is not what these tests are about)."""
    from app.playback.engine import EngineState
    from app.playback.events import PlayerStateChanged
    from app.services import Services

    start_player = Services.start_player
    started = threading.Event()

    def start_player_then_hog(self, *args, **kwargs):
        player = start_player(self, *args, **kwargs)

        def on_state(event) -> None:
            if event.state == EngineState.PLAYING and not started.is_set():
                started.set()
                threading.Thread(target=hog, daemon=True).start()

        self.bus.subscribe(PlayerStateChanged, on_state)
        return player

    Services.start_player = start_player_then_hog


if __name__ == "__main__":
    hog_once_playing()
    from ui.cli import main

    sys.exit(main(sys.argv[1:]))
