"""The song table every page uses (the library, an album, a playlist...): one look, and
columns that fit the width: Title, Artist and Album share the spare width, the short columns
keep theirs, and where the window is narrow the least needed ones step aside before a
horizontal scrollbar would appear. Time always stays."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView

from ui.models.track_table import COLUMNS
from ui.theme.apply import style_sheet, themed
from ui.theme.sheets import thin_scrollbars
from ui.theme.tokens import SPACE
from ui.widgets.title_cell import TitleCellDelegate

ROW_PX = 40  # room for a small cover beside the title
NAMES = [name for name, _ in COLUMNS]
FLEX = ("Title", "Artist", "Album")  # these take the spare width
FLEX_MIN_PX = 110  # each flexible column keeps at least this much
SHORT_WIDTHS = {"#": 36, "Year": 56, "Genre": 110, "Time": 58, "Source": 80, "Rating": 76}
STEP_ASIDE = ("Source", "Genre", "Year", "Rating", "#")  # hidden first to last as space runs out


class SongTable(QTableView):
    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # the columns fit instead
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(ROW_PX)
        self.verticalHeader().setMinimumSectionSize(ROW_PX)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        self.setFrameShape(QFrame.NoFrame)
        self.setMouseTracking(True)  # a hovered row lights up
        self.title_cell = TitleCellDelegate(self)
        # Colours through the palette, not a style sheet: a sheet on the table itself would
        # route every cell's paint through Qt's style-sheet style (slower typing-to-painted).
        themed(self, _paint_table)
        thin_scrollbars(self)
        style_sheet(header, lambda c: (
            f"QHeaderView::section {{ background: {c.window}; color: {c.muted}; border: none;"
            f" border-bottom: 1px solid {c.border}; padding: 4px {SPACE}px; }}"))

    def setModel(self, model) -> None:  # noqa: N802 - Qt naming
        super().setModel(model)
        self.setItemDelegateForColumn(NAMES.index("Title"), self.title_cell)
        for column, name in enumerate(NAMES):
            if name not in FLEX:
                self.setColumnWidth(column, SHORT_WIDTHS[name])
        self._size_modes()

    def restore_columns(self, state) -> None:
        """The short columns' widths as the listener left them (an older window's saved
        layout, with every column fixed, is brought to this one's sizing)."""
        self.horizontalHeader().restoreState(state)
        self._size_modes()

    def _size_modes(self) -> None:
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for column, name in enumerate(NAMES):
            header.setSectionResizeMode(column, QHeaderView.Stretch if name in FLEX
                                        else QHeaderView.Interactive)
        self.fit_columns()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        # with its horizontal bar off, a scroll area asks for all its columns: the columns
        # fit the table instead, so it can be as narrow as the window needs
        return QSize(240, ROW_PX * 3)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self.fit_columns()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Show every short column that leaves the flexible ones their minimum (when shown: a
        column hidden or shown lays out the whole table, ~17 ms at 100,000 rows)."""
        if self.model() is None or not self.isVisible():
            return
        width = self.viewport().width()
        hidden = set()
        for name in STEP_ASIDE:
            shown = [n for n in NAMES if n not in FLEX and n not in hidden]
            needed = sum(self.columnWidth(NAMES.index(n)) or SHORT_WIDTHS[n] for n in shown)
            if needed + FLEX_MIN_PX * len(FLEX) <= width:
                break
            hidden.add(name)
        for column, name in enumerate(NAMES):
            if self.isColumnHidden(column) != (name in hidden):
                self.setColumnHidden(column, name in hidden)


def _paint_table(table: QTableView, c) -> None:
    palette = table.palette()
    for role, colour in ((QPalette.Base, c.window), (QPalette.Highlight, c.raised),
                         (QPalette.HighlightedText, c.text), (QPalette.Text, c.text)):
        palette.setColor(role, QColor(colour))
    table.setPalette(palette)
