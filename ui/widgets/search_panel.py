"""Under the search box: the top result's card, then the grouped results (artists, albums,
songs). The grouped search is read in a worker once the songs table shows the search's first
rows (the window asks, `show_for`); stale answers are dropped. Choosing a result asks the window
to open a page (`open_requested`) or plays it here."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ui.models.cover_keys import artist_key, cover_key
from ui.theme.tokens import SPACE
from ui.widgets.search_results import SearchResults
from ui.widgets.top_result import TopResultCard
from ui.workers import CancelToken, run_task


class SearchPanel(QWidget):
    open_requested = Signal(str, str)  # a page's kind ("artists", "albums") and its key

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.results = SearchResults()
        self.top = TopResultCard()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACE * 2)
        row.addWidget(self.top, 0, Qt.AlignTop)  # its caption level with theirs
        row.addWidget(self.results, 1)
        self.setVisible(False)
        self._token = CancelToken()
        self.results.artist_chosen.connect(lambda name: self.open_requested.emit("artists", name))
        self.results.album_chosen.connect(lambda album: self.open_requested.emit("albums", str(album)))
        self.results.song_chosen.connect(self._play_songs)
        self.top.opened.connect(self.open_result)
        self.top.play_requested.connect(self.play_result)

    # -- loading ----------------------------------------------------------------------------------
    def drop_pending(self) -> None:
        """A new key was typed: what was being read for the old text is stale."""
        self._token.cancel()

    def show_for(self, text: str) -> None:
        from app.library.grouped_search import grouped_search  # noqa: PLC0415

        self._token.cancel()
        if not text.strip():
            self.setVisible(False)
            return
        self._token = CancelToken()
        tracks = self.services.tracks

        def job():
            results = grouped_search(tracks, text)
            return results, {t.id: t for t in tracks.get_many(results.songs)}

        run_task(job, on_done=lambda done: self._show(*done), token=self._token, owner=self)

    def _show(self, results, tracks_by_id: dict) -> None:
        self.results.show_results(results, tracks_by_id)
        self.setVisible(not results.empty)
        if results.top is None:
            self.top.setVisible(False)
            return
        kind, value = results.top
        if kind == "artist":
            picture = artist_key(value, results.artist_tracks[value])
            self.top.show_result(kind, value, value, "", picture)
        elif kind == "album":
            _, title, artist = next(album for album in results.albums if album[0] == value)
            self.top.show_result(kind, value, title, artist, cover_key(results.album_tracks[value]))
        elif (track := tracks_by_id.get(value)) is not None:
            self.top.show_result(kind, value, track.title, track.artist, cover_key(track))

    # -- choosing ---------------------------------------------------------------------------------
    def open_first(self) -> None:
        """Enter in the search box: the top result opens (a song plays)."""
        if self.top.isVisible():
            self.open_result(self.top.kind, self.top.value)
            return
        item = self.results.first_result()
        if item is not None and self.results.isVisible():
            self.results.itemActivated.emit(item)

    def open_result(self, kind: str, value) -> None:
        if kind == "artist":
            self.open_requested.emit("artists", value)
        elif kind == "album":
            self.open_requested.emit("albums", str(value))
        else:
            self.play_result(kind, value)

    def play_result(self, kind: str, value) -> None:
        """Play the artist's songs, the album, or the song (with the other songs found after it)."""
        if kind == "song":
            songs = self.results.song_ids()
            if value not in songs:
                songs = [value]
            self._play_songs(songs, songs.index(value))
            return
        from app.store.browse import tracks_of  # noqa: PLC0415

        db, group = self.services.db, ("artists" if kind == "artist" else "albums")

        def play(ids: list[int]) -> None:
            if ids:
                self.services.player.play_tracks(ids, 0, context=group[:-1])

        run_task(lambda: tracks_of(db, group, str(value)), on_done=play, owner=self)

    def _play_songs(self, ids: list, start: int) -> None:
        self.services.player.play_tracks(ids, start, context="search")
