"""The songs' context menu, the same in every view, and adding songs to playlists."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMenu

from app.store.playlist_entries import playlist_names
from ui.format import count_text
from ui.workers import run_task

FAVOURITE_LOOKUP_ROWS = 500  # a bigger selection offers both (reading every row would stall)


def _selected_rows(table) -> list[int]:
    return sorted({index.row() for index in table.selectionModel().selectedRows()})


def selected_ids(table, model) -> list[int]:
    return [model.ids[row] for row in _selected_rows(table)]


def track_menu(window, table, model, position, play) -> QMenu:
    """The songs' context menu, the same in every view."""
    ids = selected_ids(table, model)
    menu = QMenu(window)
    if not ids:
        return menu
    row = table.indexAt(position).row()
    menu.addAction("Play", lambda: play(row))
    menu.addAction("Play Next", lambda: window.player.insert_next(ids))
    menu.addAction("Add to Queue", lambda: window.player.append(ids))
    _playlist_menu(window, menu.addMenu("Add to Playlist"), ids)
    menu.addSeparator()
    menu.addAction("Start Radio", lambda: window.recommend.start_radio(ids[0]))
    menu.addAction("Start Artist Radio", lambda: window.recommend.start_radio(ids[0], by_artist=True))
    if len(ids) == 2:  # from the upper song to the lower, by how they sound where the server knows
        menu.addAction("Play a Path Between These Two",
                       lambda: window.recommend.start_path(ids[0], ids[1]))
    clicked = model.track_at(row) if row >= 0 else None
    if clicked is not None:  # where the song belongs
        menu.addSeparator()
        if clicked.album_id is not None:
            menu.addAction("Go to Album", lambda: window.open_group("albums", str(clicked.album_id)))
        if clicked.artist:
            menu.addAction("Go to Artist", lambda: window.open_group("artists", clicked.artist))
    menu.addSeparator()
    # Only what applies: "Add" when some of the songs are not favourites, "Remove" when some are.
    rows = _selected_rows(table)
    shown = [model.track_at(r) for r in rows[:FAVOURITE_LOOKUP_ROWS]]
    starred = [bool(track.starred) for track in shown if track is not None]
    if not all(starred) or len(rows) > FAVOURITE_LOOKUP_ROWS:
        menu.addAction("Add to Favourites", lambda: window.in_background(
            lambda: window.services.writeback().set_starred(ids, True), "Added to favourites.",
            then=window.search.refresh))
    if any(starred) or len(rows) > FAVOURITE_LOOKUP_ROWS:
        menu.addAction("Remove from Favourites", lambda: window.in_background(
            lambda: window.services.writeback().set_starred(ids, False),
            "Removed from favourites.", then=window.search.refresh))
    rate = menu.addMenu("Rate")
    for stars in range(5, -1, -1):
        rate.addAction("★" * stars if stars else "No Rating",
                       lambda stars=stars: rate_tracks(window, ids, stars))
    track = model.track_at(row)
    if track is not None and not track.is_local and track.album_id is not None:
        menu.addAction("Make Album Available Offline", lambda: window.in_background(
            lambda: window.pin("album", track.album_id),
            f"“{track.album}” will be kept offline; it downloads in the background."))
        menu.addAction("Keep Favourites Available Offline", lambda: window.in_background(
            lambda: window.pin("favourites", 0),
            "Your favourites will be kept offline; they download in the background."))
    return menu

def _playlist_menu(window, menu: QMenu, ids: list[int]) -> None:
    """The playlists, read in a worker when the submenu opens (never on the GUI thread)."""
    def fill(playlists) -> None:
        menu.clear()
        for playlist, name, _songs in playlists:
            menu.addAction(name, lambda playlist=playlist, name=name:
                           add_to_playlist(window, playlist, ids, name))
        menu.addSeparator()
        menu.addAction("New Playlist…", lambda: _new_playlist_with(window, ids))

    def read() -> None:
        menu.clear()
        menu.addAction("Reading playlists…").setEnabled(False)
        db = window.services.db
        run_task(lambda: playlist_names(db), on_done=fill, owner=menu,
                 on_error=lambda error: fill([]))  # "New Playlist…" still works

    menu.aboutToShow.connect(read)

def add_to_playlist(window, playlist_id: int, ids: list[int], name: str = "the playlist") -> None:
    writeback = window.services.writeback()

    def job():
        writeback.set_playlist_tracks(playlist_id, writeback.playlist_track_ids(playlist_id) + list(ids))

    window.in_background(job, f"Added {count_text(len(ids), 'song')} to “{name}”.")

def _new_playlist_with(window, ids: list[int]) -> None:
    name, ok = QInputDialog.getText(window, "New Playlist", "Name:")
    if ok and name.strip():
        writeback = window.services.writeback()
        window.in_background(lambda: writeback.create_playlist(name.strip(), ids),
                            f"Made the playlist “{name.strip()}”.")


def rate_tracks(window, ids: list[int], stars: int) -> None:
    """Rate the songs (0 clears it); the server hears of it through the outbox."""
    writeback = window.services.writeback()

    def job():
        for track_id in ids:
            writeback.set_rating(track_id, stars)

    done = f"Rated {count_text(len(ids), 'song')} {'★' * stars}." if stars else "Rating cleared."
    window.in_background(job, done, then=window.search.refresh)
