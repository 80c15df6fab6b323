"""Home: For you (with reasons), recently played, radio stations from favourite artists, and
continue where you left off. Everything is read in a worker each time the page is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.workers import run_task

FOR_YOU, RECENT, STATIONS = 8, 10, 4


def load_home(services) -> dict:
    """The page's content (a worker calls this: it reads the database and the model)."""
    recommendations = services.recommender.for_you(FOR_YOU)
    rows = services.db.query(
        "SELECT track_id, max(started_at) AS last FROM play_events WHERE track_id IS NOT NULL "
        "GROUP BY track_id ORDER BY last DESC LIMIT ?", (RECENT,))
    recent = [track for row in rows if (track := services.tracks.get(row["track_id"])) is not None]
    artists = [row["artist"] for row in services.db.query(
        "SELECT t.artist, count(*) AS plays FROM play_events e JOIN tracks t ON t.id = e.track_id "
        "WHERE t.artist != '' AND e.end_reason = 'completed' GROUP BY t.artist "
        "ORDER BY plays DESC LIMIT ?", (STATIONS,))]
    return {
        "for_you": [(services.tracks.get(item.track_id), item.reason) for item in recommendations.items],
        "note": recommendations.note,
        "recent": recent,
        "stations": artists,
    }


class HomeView(QWidget):
    play_requested = Signal(list, int, str)  # track ids, start, context
    radio_requested = Signal(str)  # an artist
    resume_requested = Signal()

    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services
        self.note = QLabel(wordWrap=True)
        self.note.setVisible(False)
        self.for_you = self._list("For you")
        self.recent = self._list("Recently played")
        self.stations = QVBoxLayout()
        self.resume = QPushButton("Continue where you left off")
        self.resume.setAccessibleName("Continue where you left off")
        self.resume.clicked.connect(self.resume_requested)
        stations_box = QGroupBox("Radio stations from your favourite artists")
        stations_box.setLayout(self.stations)
        grid = QGridLayout(self)
        grid.addWidget(self.note, 0, 0, 1, 2)
        grid.addWidget(self._box("For you", self.for_you), 1, 0)
        grid.addWidget(self._box("Recently played", self.recent), 1, 1)
        grid.addWidget(stations_box, 2, 0)
        grid.addWidget(self.resume, 2, 1, Qt.AlignTop)
        self.for_you.itemActivated.connect(lambda item: self._play(self.for_you, item, "radio"))
        self.recent.itemActivated.connect(lambda item: self._play(self.recent, item, "library"))

    def _list(self, name: str) -> QListWidget:
        widget = QListWidget()
        widget.setAccessibleName(name)
        widget.setWordWrap(True)
        return widget

    def _box(self, title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        QVBoxLayout(box).addWidget(widget)
        return box

    def refresh(self) -> None:
        services = self.services
        run_task(lambda: load_home(services), on_done=self._show, owner=self,
                 on_error=lambda error: (self.note.setText(f"Could not load Home: {error}"),
                                         self.note.setVisible(True)))

    def _show(self, content: dict) -> None:
        self.note.setText(content["note"])
        self.note.setVisible(bool(content["note"]))
        self.for_you.clear()
        for track, reason in content["for_you"]:
            if track is not None:
                item = QListWidgetItem(f"{track.display_name}\n    {reason}")
                item.setData(Qt.UserRole, track.id)
                self.for_you.addItem(item)
        self.recent.clear()
        for track in content["recent"]:
            item = QListWidgetItem(track.display_name)
            item.setData(Qt.UserRole, track.id)
            self.recent.addItem(item)
        while self.stations.count():
            self.stations.takeAt(0).widget().deleteLater()
        for artist in content["stations"]:
            button = QPushButton(f"{artist} Radio")
            button.clicked.connect(lambda checked=False, a=artist: self.radio_requested.emit(a))
            self.stations.addWidget(button)
        if not content["stations"]:
            self.stations.addWidget(QLabel("Play some music to get stations here."))
        current = self.services.player.current_track if self.services.player else None
        self.resume.setEnabled(current is not None)
        self.resume.setText(f"Continue: {current.display_name}" if current else "Nothing to continue")

    def _play(self, widget: QListWidget, item: QListWidgetItem, context: str) -> None:
        ids = [widget.item(row).data(Qt.UserRole) for row in range(widget.count())]
        self.play_requested.emit(ids, ids.index(item.data(Qt.UserRole)), context)
