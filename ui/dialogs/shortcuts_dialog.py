"""Help ▸ Keyboard Shortcuts: every shortcut the window answers to, read from its actions."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.theme.sheets import designed_dialog

FIXED = [  # shortcuts that are not menu actions
    ("Search", QKeySequence(QKeySequence.Find).toString(QKeySequence.NativeText)),
    ("Remove the selected queue entries", "Delete"),
    ("Clear the search, or go back", "Esc"),
    ("Play, pause, next, previous", "Media keys"),
]


class ShortcutsDialog(QDialog):
    def __init__(self, actions, parent=None):
        super().__init__(parent)
        designed_dialog(self)
        self.setWindowTitle("Keyboard Shortcuts")
        native = QKeySequence.NativeText
        rows = [(action.text().replace("&", ""), action.shortcut().toString(native))
                for action in actions if not action.shortcut().isEmpty()] + FIXED
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        for row, (name, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.resizeColumnToContents(1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, rejected=self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(420, 360)
