"""The parts a settings page is made of, shared by the dialogs: a section's heading, and a row
that names a setting, says in a line what it does, and holds its control at the right (as
Spotify's and the desktop's own settings are laid out)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.theme import font_of
from ui.theme.apply import style_sheet
from ui.theme.tokens import SPACE


def section_heading(text: str) -> QLabel:
    heading = QLabel(text)
    heading.setFont(font_of("heading", bold=True))
    heading.setContentsMargins(0, SPACE * 2, 0, SPACE // 2)
    heading.setAccessibleName(f"{text} settings")
    return heading


def setting_row(title: str, about: str, control: QWidget | None = None) -> QWidget:
    """title and about on the left (about muted, wrapping), the control at the right (none
    where it stands below the row, such as a list); the control is named by the title for
    screen readers."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, SPACE // 2, 0, SPACE // 2)
    layout.setSpacing(SPACE * 3)
    words = QVBoxLayout()
    words.setSpacing(2)
    name = QLabel(title)
    name.setFont(font_of("body", bold=True))
    if control is not None:
        name.setBuddy(control)
    line = QLabel(about, wordWrap=True)
    line.setFont(font_of("small"))
    style_sheet(line, lambda c: f"color: {c.muted};")
    words.addWidget(name)
    words.addWidget(line)
    row.about = line  # a line that changes with the choice (a mode's meaning) is set here
    layout.addLayout(words, 1)
    if control is None:
        return row
    layout.addWidget(control, 0, Qt.AlignRight | Qt.AlignVCenter)
    if not control.accessibleName():
        control.setAccessibleName(title)
    if not control.toolTip():
        control.setToolTip(about)
    return row
