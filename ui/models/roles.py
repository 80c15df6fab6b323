"""Qt's item roles as the plain ints views pass to data(): comparing them with Qt's enums costs
~20 ms a screenful (measured by bench library's search probe)."""

from __future__ import annotations

from PySide6.QtCore import Qt

DISPLAY = int(Qt.DisplayRole)
TOOLTIP = int(Qt.ToolTipRole)
FONT = int(Qt.FontRole)
FOREGROUND = int(Qt.ForegroundRole)
ACCESSIBLE_TEXT = int(Qt.AccessibleTextRole)
USER = int(Qt.UserRole)
# What a two-line row shows (ui/widgets/two_line_delegate.py): its first line, the muted line
# under it, a figure at the right (a length), whether it is the row playing now, its cover.
PRIMARY = USER + 10
SECONDARY = USER + 11
TRAILING = USER + 12
CURRENT = USER + 13
COVER_PATH = USER + 14  # a row's cover file ("" for none: a placeholder is drawn)
SECTION = USER + 15  # a caption above a row where a part of a list begins ("Next up")
ROUND_COVER = USER + 16  # the row is a person (an artist): its picture drawn in a circle
