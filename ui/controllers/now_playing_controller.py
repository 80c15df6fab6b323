"""Where the playing track is shown: the player bar, the full-window player and the
mini-player. Shows each track on all three, reads its cover once in a worker for all of
them, and switches between the window, its full-window player and the mini-player."""

from __future__ import annotations

from PySide6.QtGui import QImage

from ui.workers import run_task


def read_cover(services, track) -> tuple[str | None, QImage | None]:
    """The track's cover file (a server's fetched on first use) and its image: in a worker."""
    path = services.cover_for(track)
    image = QImage(path) if path else None  # QImage is safe off the GUI thread
    return path, image if image is not None and not image.isNull() else None


class NowPlayingController:
    """The full-window player and the mini-player are made the first time they are asked for
    (not at start-up, where every millisecond is the listener's); until then what they would
    show is kept here."""

    def __init__(self, window):
        self.window = window
        self.view = None  # the full-window player
        self.mini = None
        self._track = None
        self._image: QImage | None = None
        self._lyrics = None  # the last lyrics, or a message in their place (str)

    def full_view(self):
        if self.view is None:
            from ui.views.now_playing_view import NowPlayingView  # noqa: PLC0415

            window = self.window
            view = self.view = NowPlayingView()
            view.album_requested.connect(lambda key: window.open_group("albums", key))
            view.artist_requested.connect(lambda name: window.open_group("artists", name))
            window.bridge.position_changed.connect(view.lyrics.follow_position)
            window.pages.addWidget(view)
            view.show_track(self._track)
            view.show_image(self._image)
            self._show_lyrics_on(view.lyrics)
        return self.view

    # -- lyrics -------------------------------------------------------------------------------
    def show_lyrics(self, lyrics_or_message) -> None:
        """Lyrics, or a message in their place, in the side tab and the full-window player."""
        self._lyrics = lyrics_or_message
        self._show_lyrics_on(self.window.lyrics_view)
        if self.view is not None:
            self._show_lyrics_on(self.view.lyrics)

    def _show_lyrics_on(self, lyrics_view) -> None:
        if self._lyrics is None:
            return
        if isinstance(self._lyrics, str):
            lyrics_view.show_message(self._lyrics)
        else:
            lyrics_view.show_lyrics(self._lyrics)

    # -- the track ----------------------------------------------------------------------------
    def show_track(self, track) -> None:
        """A track on every surface; its cover follows once read."""
        window = self.window
        self._track = track
        window.now_playing.show_track(track)
        if self.view is not None:
            self.view.show_track(track)
        if self.mini is not None:
            self.mini.show_track(track)
        self._show_image(None)
        if track is None or not track.cover_path:
            return

        def show(found, track_id=track.id):
            path, image = found
            current = window.player.current_track
            shown = window.now_playing.shown_id
            if track_id not in (shown, current.id if current is not None else None):
                return  # the listener has moved on
            self._show_image(image)
            if path and not track.is_local:
                window.cover_ready.emit(path)  # the desktop's media controls show it too

        run_task(lambda: read_cover(window.services, track), on_done=show,
                 on_error=lambda error: None, owner=window)  # no cover is not worth a message

    def _show_image(self, image: QImage | None) -> None:
        self._image = image
        self.window.now_playing.show_image(image)
        if self.view is not None:
            self.view.show_image(image)
        if self.mini is not None:
            self.mini.show_image(image)

    # -- switching ----------------------------------------------------------------------------
    def toggle_full_window(self) -> None:
        window = self.window
        if self.view is not None and window.pages.currentWidget() is self.view:
            window.go_back()
        else:
            window.show_now_playing()

    def toggle_mini(self) -> None:
        window = self.window
        if self.mini is not None and self.mini.isVisible():
            self.mini.hide()
            window.showNormal()
            window.raise_()
            window.activateWindow()
            return
        if self.mini is None:
            self._make_mini()
        player = window.player
        self.mini.show_track(player.current_track)
        self.mini.show_image(self._image)
        self.mini.show_state(player.state)
        self.mini.show()
        window.hide()

    def _make_mini(self) -> None:
        from ui.widgets.mini_player import MiniPlayer  # noqa: PLC0415

        window = self.window
        mini = self.mini = MiniPlayer()
        mini.play_pause_clicked.connect(window.play_pause)
        mini.next_clicked.connect(window.player.next)
        mini.previous_clicked.connect(window.player.previous)
        mini.expand_clicked.connect(self.toggle_mini)
        bridge = window.bridge
        bridge.position_changed.connect(mini.show_position)
        bridge.state_changed.connect(lambda event: mini.show_state(event.state))
