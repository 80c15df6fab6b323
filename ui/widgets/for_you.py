"""The "For you" list: recommended tracks, each with its reason, and a note while not personal."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from ui.models.roles import COVER_PATH, PRIMARY, SECONDARY
from ui.theme.apply import style_sheet
from ui.theme.sheets import thin_scrollbars
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.two_line_delegate import TwoLineDelegate


class ForYouPanel(QWidget):
    play_requested = Signal(list, int)  # track ids, the one to start from
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.note = QLabel(wordWrap=True)
        self.note.setVisible(False)
        style_sheet(self.note, lambda c: f"padding: {SPACE}px; background: {c.raised}; color: {c.text};"
                    f" border-radius: {COVER_RADIUS}px;")
        self.list = QListWidget()
        self.list.setAccessibleName("Recommended for you")
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setMouseTracking(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # rows elide, never scroll sideways
        thin_scrollbars(self.list)
        self.refresh = QPushButton("Refresh")
        self.refresh.setAccessibleName("Refresh recommendations")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.refresh, 0, Qt.AlignRight)
        self.list.itemActivated.connect(self._play_from)
        self.list.itemDoubleClicked.connect(self._play_from)
        self.refresh.clicked.connect(self.refresh_requested)

    def show_recommendations(self, rows: list[tuple[int, str, str, str]], note: str) -> None:
        """rows: (track id, "Artist — Title", reason, cover key: ui/models/cover_keys.py).."""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.list.clear()
        for track_id, name, reason, cover in rows:
            item = QListWidgetItem(f"{name}\n    {reason}" if reason else name)
            item.setData(Qt.UserRole, track_id)
            item.setData(PRIMARY, name)
            item.setData(SECONDARY, reason)
            item.setData(COVER_PATH, cover)
            item.setToolTip(reason)
            self.list.addItem(item)
        if not rows:
            self.list.addItem(QListWidgetItem("Nothing to recommend yet: add some music."))

    def track_ids(self) -> list[int]:
        ids = (self.list.item(row).data(Qt.UserRole) for row in range(self.list.count()))
        return [track_id for track_id in ids if track_id is not None]

    def _play_from(self, item: QListWidgetItem) -> None:
        track_id = item.data(Qt.UserRole)
        if track_id is not None:
            ids = self.track_ids()
            self.play_requested.emit(ids, ids.index(track_id))
