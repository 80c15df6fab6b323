"""The Lyrics tab: synced lyrics follow playback (the current line marked and kept in view);
plain lyrics are shown as text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.lyrics.lyrics import Lyrics
from ui.theme import colours, font_of
from ui.theme.apply import style_sheet
from ui.theme.sheets import thin_scrollbars


class LyricsView(QWidget):
    """`large`: the full-window player's, in a bigger type with the line sung lit."""

    def __init__(self, parent: QWidget | None = None, large: bool = False):
        super().__init__(parent)
        self.large = large
        self.status = QLabel("Nothing playing.", wordWrap=True)
        style_sheet(self.status, lambda c: f"color: {c.muted};")
        self.list = QListWidget()
        self.list.setAccessibleName("Lyrics")
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.NoSelection)
        self.list.setFrameShape(QListWidget.NoFrame)
        self.list.setFont(font_of("heading" if large else "body"))
        style_sheet(self.list, lambda c: f"QListWidget {{ background: transparent;"
                    f" color: {c.muted if large else c.text}; }}")
        thin_scrollbars(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        self.lyrics: Lyrics | None = None
        self.current: int | None = None

    def show_message(self, text: str) -> None:
        self.lyrics, self.current = None, None
        self.list.clear()
        self.status.setText(text)
        self.status.setVisible(True)

    def show_lyrics(self, lyrics: Lyrics) -> None:
        self.lyrics, self.current = lyrics, None
        self.list.clear()
        for line in lyrics.lines:
            item = QListWidgetItem(line.text or "♪")
            item.setTextAlignment(Qt.AlignHCenter)
            self.list.addItem(item)
        kind = "synced" if lyrics.synced else "plain"
        self.status.setText(f"Lyrics ({kind}) from {lyrics.source}")

    def follow_position(self, position_ms: int, duration_ms: int) -> None:
        self.follow(position_ms)

    def follow(self, position_ms: int) -> None:
        if self.lyrics is None:
            return
        index = self.lyrics.line_at(position_ms)
        if index == self.current:
            return
        for row, bold in ((self.current, False), (index, True)):
            if row is not None and (item := self.list.item(row)) is not None:
                font = QFont(item.font())
                font.setBold(bold)
                item.setFont(font)
                if self.large:  # the line sung stands out in the text colour
                    item.setForeground(QColor(colours().text) if bold else QBrush())
        self.current = index
        if index is not None:
            self.list.scrollToItem(self.list.item(index), QAbstractItemView.PositionAtCenter)
