"""The side column: Back and Forward, then the library's sections with their icons, on the
darker side colour; the section shown is lit."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QListWidget, QListWidgetItem, QToolButton, QVBoxLayout

from ui.theme.apply import style_sheet, themed
from ui.theme.icons import icon
from ui.theme.tokens import COVER_RADIUS, SPACE

WIDTH_PX = 184
ROW_PX = 36
ICONS = {"home": "home", None: "songs", "artists": "artists", "albums": "albums",
         "genres": "genres", "playlists": "playlists", "smart": "smart", "favourites": "favourites",
         "folders": "folders", "statistics": "statistics"}


class SideColumn(QFrame):
    back_clicked = Signal()
    forward_clicked = Signal()

    def __init__(self, pages: list[tuple[str, str | None]], parent=None):
        super().__init__(parent)
        self.setObjectName("sideColumn")
        self.setFixedWidth(WIDTH_PX)
        self.back = self._arrow("back", "Back (Alt+Left)")
        self.forward = self._arrow("forward", "Forward (Alt+Right)")
        self.back.clicked.connect(self.back_clicked)
        self.forward.clicked.connect(self.forward_clicked)
        self.nav = QListWidget()
        self.nav.setAccessibleName("Library sections")
        self.nav.setFrameShape(QFrame.NoFrame)
        self.nav.setIconSize(QSize(18, 18))
        self.nav.setCursor(Qt.PointingHandCursor)
        for title, _kind in pages:
            item = QListWidgetItem(title)
            item.setSizeHint(QSize(0, ROW_PX))
            self.nav.addItem(item)
        kinds = [kind for _, kind in pages]
        themed(self.nav, lambda nav, c: [nav.item(row).setIcon(icon(ICONS[kind], c.muted, c.text))
                                         for row, kind in enumerate(kinds)])
        style_sheet(self, lambda c: (
            f"QFrame#sideColumn {{ background: {c.sidebar}; }}"
            f"QListWidget {{ background: transparent; outline: none; }}"
            f"QListWidget::item {{ color: {c.muted}; padding-left: {SPACE}px;"
            f" border-radius: {COVER_RADIUS}px; }}"
            f"QListWidget::item:hover {{ background: {c.raised}; color: {c.text}; }}"
            f"QListWidget::item:selected {{ background: {c.raised}; color: {c.text}; font-weight: bold; }}"
            f"QToolButton {{ border: none; border-radius: 14px; padding: 4px; }}"
            f"QToolButton:hover {{ background: {c.raised}; }}"))
        arrows = QHBoxLayout()
        arrows.setSpacing(SPACE // 2)
        arrows.addWidget(self.back)
        arrows.addWidget(self.forward)
        arrows.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE, SPACE, SPACE, SPACE)
        layout.setSpacing(SPACE)
        layout.addLayout(arrows)
        layout.addWidget(self.nav, 1)

    def _arrow(self, name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setEnabled(False)
        button.setCursor(Qt.PointingHandCursor)
        themed(button, lambda b, c: b.setIcon(icon(name, c.text)))
        return button

    def show_history(self, history, inner_page: bool = False) -> None:
        """Back and Forward are live only where there is somewhere to go (`inner_page`: a page
        opened within the one shown, which Back closes)."""
        self.back.setEnabled(inner_page or history.can_go(back=True))
        self.forward.setEnabled(history.can_go(back=False))
