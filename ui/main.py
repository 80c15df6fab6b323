"""Composition root of the window: builds the app's services and hands them to the window."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading

from app import APP_ID, APP_NAME, __version__
from app.errors import PlaybackError, UsageError
from app.paths import resolve_profile, resource_file
from app.playback.events import PlaybackFailed
from app.playback.null_engine import NullEngine
from app.services import Services
from app.settings import VOLUME

log = logging.getLogger(__name__)

ENGINE_AFTER_S = 3.0  # the engine waits for the window's first rows at most this long


def _check_display() -> None:
    """Qt aborts the process without a display; say so in words first."""
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise UsageError("no display found. Run it in a desktop session, under xvfb-run, or "
                         "with QT_QPA_PLATFORM=offscreen; for playback without a window use "
                         "'prelude play QUERY --headless'.")


def engine_factory(audio_output: str | None, bus):
    """Builds the VLC engine (on the player thread), or the null engine with a message when
    libvlc is missing, so the window still opens and says what to install."""

    def create():
        from app.playback.output_choice import open_vlc_engine  # noqa: PLC0415

        try:
            engine = open_vlc_engine(audio_output)
            if engine.output_note:
                bus.publish(PlaybackFailed(engine.output_note, None))
            return engine
        except PlaybackError as error:
            bus.publish(PlaybackFailed(f"{error} Playback is silent until then.", None))
            return NullEngine()

    return create


def build_window(services: Services, bridge=None):
    """The window over started services; used by run_gui, the tests and the screenshot script."""
    from ui.bridge import Bridge  # noqa: PLC0415
    from ui.controllers.library_controller import LibraryController  # noqa: PLC0415
    from ui.main_window import MainWindow  # noqa: PLC0415

    bridge = bridge or Bridge(services.bus)
    window = MainWindow(services, bridge)
    window.library_controller = LibraryController(services, window)
    window.transport.show_volume(services.player.volume)
    return window


def create_app(args, play_query: str | None = None, play_limit: int | None = None):
    """The QApplication, the services and the shown window: everything but the event loop."""
    from ui.desktop.single_instance import InstanceServer, send_to_running  # noqa: PLC0415

    profile = resolve_profile(getattr(args, "data_dir", None))
    request = ({"action": "enqueue", "query": play_query, "limit": play_limit} if play_query
               else {"action": "raise"})
    # Before anything needs a display: `prelude play` from an ssh shell or a script hands its
    # request to the window already running (a local socket needs no display, nor a QApplication).
    if send_to_running(profile.data_dir, request):
        return None, None, None  # the running Prelude has it
    _check_display()
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    app = QApplication.instance() or QApplication(sys.argv[:1])
    services = Services.open(profile)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    from PySide6.QtGui import QIcon  # noqa: PLC0415

    icon = QIcon(str(resource_file("icons", "hicolor", "scalable", "apps", f"{APP_ID}.svg")))
    app.setWindowIcon(icon)
    from ui.bridge import Bridge  # noqa: PLC0415

    bridge = Bridge(services.bus)  # before the player, so no early message is missed
    shown = threading.Event()
    build_engine = engine_factory(getattr(args, "audio_output", None), services.bus)

    def engine_once_shown():
        # On the player thread, once the first rows are painted: importing libvlc and starting
        # the audio process beside the window's build would compete with it for the GIL.
        shown.wait(ENGINE_AFTER_S)
        return build_engine()

    player = services.start_player(engine_once_shown, connect_in_background=True)
    player.set_volume(services.settings.read(VOLUME))
    player.restore()
    from app.settings import THEME  # noqa: PLC0415
    from ui.theme import apply_theme  # noqa: PLC0415

    apply_theme(services.settings.read(THEME))  # before the window: built once, in it
    window = build_window(services, bridge)
    window.restore_geometry()
    window.show()
    window.after_first_rows(lambda: (shown.set(), _settle_in(player, services),
                                     window.check_handoff()))
    from ui.desktop.mpris import start_mpris  # noqa: PLC0415

    window.mpris = start_mpris(window)
    from ui.desktop.tray import start_tray  # noqa: PLC0415

    window.tray = start_tray(window, icon)
    # The launch's rescan (and on a first run, the demo library) once the library is on
    # screen: walking the folders beside the window's build would compete with it for the GIL.
    window.after_first_rows(lambda: window.library_controller.start(play_query=play_query,
                                                                    play_limit=play_limit))
    window.instance_server = InstanceServer(profile.data_dir, window)
    window.instance_server.request.connect(window.handle_launch_request)
    return app, window, services


def _settle_in(player, services) -> None:
    """The first rows are on screen. What exists now lives as long as the app: keep it out of
    Python's full garbage collections, which scan everything and pause the GUI thread as they
    do (no collection first: that would be such a pause). Then numpy, SciPy and LightFM load
    off the GUI thread (their imports hold the GIL for a few hundred ms, so not before the
    first rows are shown)."""
    gc.freeze()
    player.submit(services.enable_recommendations)


def run_gui(args, play_query: str | None = None, play_limit: int | None = None) -> int:
    app, window, services = create_app(args, play_query, play_limit)
    if window is None:
        print("Prelude is already running: handed over to it.", file=sys.stderr)
        return 0
    try:
        return app.exec()
    finally:
        services.settings.write(VOLUME, services.player.volume)
        if window.mpris is not None:
            window.mpris.close()
        window.instance_server.close()
        window.bridge.detach()
        services.close()


__all__ = ["run_gui", "create_app", "build_window", "engine_factory"]
