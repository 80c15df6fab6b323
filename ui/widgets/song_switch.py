"""An artist page's two views of their songs, as tabs beside Play: Popular (their top songs, by
their server where it knows, else by this person's plays: said in its tooltip) and All songs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from ui.theme import font_of
from ui.theme.apply import style_sheet
from ui.theme.tokens import SPACE

POPULAR, ALL = "popular", "all"


class SongSwitch(QWidget):
    changed = Signal(str)  # POPULAR or ALL

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACE * 2)
        for key, text in ((POPULAR, "Popular"), (ALL, "All songs")):
            button = QPushButton(text, checkable=True)
            button.setFont(font_of("body", bold=True))
            button.setCursor(Qt.PointingHandCursor)
            button.setAccessibleName(f"Show {text.lower()}")
            # a tab: the one shown in the text colour over an accent line, the other muted
            style_sheet(button, lambda c: (
                f"QPushButton {{ border: none; border-bottom: 2px solid transparent;"
                f" padding: 2px 0; color: {c.muted}; background: transparent; }}"
                f"QPushButton:checked {{ color: {c.text}; border-bottom-color: {c.accent}; }}"
                f"QPushButton:hover {{ color: {c.text}; }}"))
            button.clicked.connect(lambda _=False, k=key: self.changed.emit(k))
            button.setToolTip("Their most played songs" if key == POPULAR
                              else "Every song of theirs, album by album")
            self.group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
        self.note = ""  # where Popular comes from

    @property
    def shown(self) -> str:
        return POPULAR if self.buttons[POPULAR].isChecked() else ALL

    def show_choice(self, key: str) -> None:
        self.buttons[key].setChecked(True)

    def set_note(self, text: str) -> None:
        self.note = text
        popular = self.buttons[POPULAR]
        popular.setToolTip(f"Their most played songs, {text}" if text else "Their most played songs")
        popular.setAccessibleDescription(popular.toolTip())
