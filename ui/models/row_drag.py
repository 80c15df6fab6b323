"""Reordering a list model by dragging one row: the model never edits itself on a drop; it is
told where the row should go (`row_dropped(source, target)`, target counted after the row has
left its place) and whoever owns the data moves it and refreshes the model."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt


class RowDragMixin:
    ROW_MIME = "application/x-prelude-row"

    def drag_enabled(self) -> bool:
        return True

    def row_dropped(self, source: int, target: int) -> None:
        raise NotImplementedError

    def flags(self, index):
        base = super().flags(index)
        if not self.drag_enabled():
            return base
        return base | (Qt.ItemIsDragEnabled if index.isValid() else Qt.ItemIsDropEnabled)

    def supportedDropActions(self):  # noqa: N802 - Qt naming
        return Qt.MoveAction

    def mimeTypes(self):  # noqa: N802
        return [self.ROW_MIME]

    def mimeData(self, indexes):  # noqa: N802
        data = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        data.setData(self.ROW_MIME, ",".join(map(str, rows)).encode())
        return data

    def dropMimeData(self, data, action, row, column, parent):  # noqa: N802
        if not self.drag_enabled() or action != Qt.MoveAction or not data.hasFormat(self.ROW_MIME):
            return False
        rows = [int(n) for n in bytes(data.data(self.ROW_MIME)).decode().split(",") if n]
        if len(rows) != 1:
            return False
        source = rows[0]
        target = row if row >= 0 else (parent.row() if parent.isValid() else self.rowCount())
        if target > source:
            target -= 1  # the row leaves its place before it lands
        if target != source:
            self.row_dropped(source, target)
        return False  # the owner moves it; nothing for the view to remove
