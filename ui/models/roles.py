"""Qt's item roles as the plain ints views pass to data(): comparing them with Qt's enums costs
~20 ms a screenful (measured by bench library's search probe)."""

from __future__ import annotations

from PySide6.QtCore import Qt

DISPLAY = int(Qt.DisplayRole)
TOOLTIP = int(Qt.ToolTipRole)
FONT = int(Qt.FontRole)
ACCESSIBLE_TEXT = int(Qt.AccessibleTextRole)
USER = int(Qt.UserRole)
