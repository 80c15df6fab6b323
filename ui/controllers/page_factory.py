"""The window's pages, each made the first time it is shown and wired to the window."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.playback.engine import EngineState
from ui.views.browse_view import BrowseView


def make_page(window, kind: str) -> QWidget:
    player = window.player

    def play(ids, start, context) -> None:
        player.play_tracks(ids, start, context=context)

    if kind == "home":
        from ui.views.home_view import HomeView  # noqa: PLC0415

        view = HomeView(window.services)
        view.play_requested.connect(play)
        view.radio_requested.connect(window.artist_radio)
        view.resume_requested.connect(window.play_pause)
        window.bridge.track_started.connect(lambda event: view.song_changed())
        window.bridge.state_changed.connect(
            lambda event: view.show_playing(event.state == EngineState.PLAYING))
        view.album_requested.connect(lambda key: window.open_group("albums", key))
        return view
    if kind == "statistics":
        from ui.views.stats_view import StatsView  # noqa: PLC0415

        return StatsView(window.services)
    view = BrowseView(kind, window.services)
    if kind == "smart":  # evaluated again as history and the library change, while shown
        def again(*_args) -> None:
            if view.isVisible():
                view.refresh()

        window.bridge.track_started.connect(again)
        window.sync.library_changed.connect(again)
    view.album_requested.connect(lambda key: window.open_group("albums", key))
    view.depth_changed.connect(window.show_back_state)
    view.play_requested.connect(play)
    view.table.customContextMenuRequested.connect(
        lambda position: window.track_menu(
            view.table, view.model, position,
            play=lambda row: player.play_tracks(list(view.model.ids), row, context="library"),
        ).exec(view.table.viewport().mapToGlobal(position)))
    return view
