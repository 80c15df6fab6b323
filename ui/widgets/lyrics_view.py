"""The Lyrics tab: synced lyrics follow playback (the current line marked and kept in view;
word-synced ones light each word as it is sung); plain lyrics are shown as text."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.lyrics.lyrics import Lyrics
from ui.theme import colours, font_of
from ui.theme.apply import style_sheet
from ui.theme.sheets import thin_scrollbars

WORD_TICK_MS = 40  # words are lit this often between the player's position reports (200 ms)
HOLD_AFTER_S = 0.45  # with no report for this long (a pause), the words stop moving


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
        self.words: QLabel | None = None  # the line being sung, word by word, over its row
        self._words_state: tuple | None = None
        self._reported = (0, 0.0)  # the player's last position, and when it came
        self._tick = QTimer(self, interval=WORD_TICK_MS)
        self._tick.timeout.connect(self._between_reports)

    def show_message(self, text: str) -> None:
        self._drop_words()
        self._tick.stop()
        self.lyrics, self.current = None, None
        self.list.clear()
        self.status.setText(text)
        self.status.setVisible(True)

    def show_lyrics(self, lyrics: Lyrics) -> None:
        self._drop_words()
        self.lyrics, self.current = lyrics, None
        self.list.clear()
        for line in lyrics.lines:
            item = QListWidgetItem(line.text or "♪")
            item.setTextAlignment(Qt.AlignHCenter)
            self.list.addItem(item)
        kind = "word-synced" if lyrics.word_synced else "synced" if lyrics.synced else "plain"
        self.status.setText(f"Lyrics ({kind}) from {lyrics.source}")
        if lyrics.word_synced:
            self._tick.start()
        else:
            self._tick.stop()

    def follow_position(self, position_ms: int, duration_ms: int) -> None:
        self._reported = (position_ms, time.monotonic())
        self.follow(position_ms)

    def _between_reports(self) -> None:
        """The player reports its position five times a second; a word can be shorter. Between
        reports the position runs on by the clock, until a report is overdue (a pause)."""
        position_ms, at = self._reported
        elapsed = time.monotonic() - at
        if self.isVisible() and elapsed < HOLD_AFTER_S:
            self.follow(position_ms + int(elapsed * 1000))

    def follow(self, position_ms: int) -> None:
        if self.lyrics is None:
            return
        index = self.lyrics.line_at(position_ms)
        if index == self.current:
            self._light_words(position_ms)
            return
        self._drop_words()
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
            self._light_words(position_ms)

    # -- word by word ---------------------------------------------------------------------------
    def _light_words(self, position_ms: int) -> None:
        """The line being sung, its words sung so far in the accent colour, over its own row
        (whose text is hidden, so the row keeps its height and wrapping)."""
        index = self.current
        if index is None or self.lyrics is None or not self.lyrics.lines[index].cues:
            return
        line = self.lyrics.lines[index]
        sung = line.sung_through(position_ms)
        palette = colours()
        if self._words_state == (index, sung, palette):
            return
        self._words_state = (index, sung, palette)
        item = self.list.item(index)
        if self.words is None:
            self.words = QLabel(wordWrap=True, alignment=Qt.AlignHCenter | Qt.AlignVCenter)
            self.words.setTextFormat(Qt.RichText)
            font = QFont(self.list.font())  # the row's own: the list's type, bold
            font.setBold(True)
            self.words.setFont(font)
            self.words.setStyleSheet("background: transparent;")
            self.words.setAccessibleName("Words being sung")
            item.setForeground(QColor(0, 0, 0, 0))
            self.list.setItemWidget(item, self.words)
        self.words.setText(f'<span style="color:{palette.accent}">{html.escape(line.text[:sung])}</span>'
                           f'<span style="color:{palette.text}">{html.escape(line.text[sung:])}</span>')

    def _drop_words(self) -> None:
        if self.words is not None and self.current is not None:
            item = self.list.item(self.current)
            if item is not None:
                self.list.removeItemWidget(item)
                item.setForeground(QColor(colours().text) if self.large else QBrush())
        self.words, self._words_state = None, None

    @property
    def sung_text(self) -> str | None:
        """What the current line shows as sung (None without word timing): for the tests."""
        if self.words is None or self._words_state is None or self.lyrics is None:
            return None
        index, sung, _palette = self._words_state
        return self.lyrics.lines[index].text[:sung]
