"""Switching the theme: the application palette (Fusion style), and every widget that asked for
a style sheet or an icon made from the theme's colours gets them again at once."""

from __future__ import annotations

import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from ui.theme.tokens import DARK, LIGHT, TYPE_SCALE, Colours

_state = {"colours": LIGHT, "name": "system"}
# widget -> what it draws from the theme: re-run at every switch (weak: closed widgets go).
_restylers: weakref.WeakKeyDictionary[QWidget, list[Callable[[QWidget, Colours], None]]] = (
    weakref.WeakKeyDictionary())


def colours() -> Colours:
    return _state["colours"]


def apply_theme(name: str) -> None:
    """Light, dark, or "system": the desktop's colour scheme where the platform says it
    (light where it does not, as on the offscreen platform), followed when the desktop
    switches. Qt's own scheme hint is left alone: asking it for one makes the platform
    theme put its palette back over ours a moment later."""
    hints = QGuiApplication.styleHints()
    if not _state.get("following"):
        hints.colorSchemeChanged.connect(lambda _scheme: _state["name"] == "system" and apply_theme("system"))
        _state["following"] = True
    _state["name"] = name
    dark = name == "dark" or (name not in ("light", "dark") and hints.colorScheme() == Qt.ColorScheme.Dark)
    _state["colours"] = DARK if dark else LIGHT
    app = QApplication.instance()
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # the same widgets on every desktop, drawn from our palette
    app.setPalette(palette_of(colours()))
    for widget, restylers in list(_restylers.items()):
        if not shiboken6.isValid(widget):  # its window is closed; Python still holds a handle
            del _restylers[widget]
            continue
        for restyle in restylers:
            restyle(widget, colours())


def themed(widget: QWidget, restyle: Callable[[QWidget, Colours], None]) -> None:
    """Run `restyle(widget, colours)` now and again whenever the theme changes."""
    _restylers.setdefault(widget, []).append(restyle)
    restyle(widget, colours())


def style_sheet(widget: QWidget, sheet: Callable[[Colours], str]) -> None:
    """A style sheet made from the theme's colours, made again at every switch."""
    themed(widget, lambda w, c: w.setStyleSheet(sheet(c)))


def palette_of(c: Colours) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.Window: c.window, QPalette.WindowText: c.text, QPalette.Base: c.surface,
        QPalette.AlternateBase: c.window, QPalette.Text: c.text, QPalette.Button: c.raised,
        QPalette.ButtonText: c.text, QPalette.BrightText: c.on_accent, QPalette.Highlight: c.accent,
        QPalette.HighlightedText: c.on_accent, QPalette.ToolTipBase: c.raised,
        QPalette.ToolTipText: c.text, QPalette.PlaceholderText: c.muted, QPalette.Link: c.accent,
        QPalette.LinkVisited: c.accent, QPalette.Light: c.raised, QPalette.Midlight: c.raised,
        QPalette.Mid: c.border, QPalette.Dark: c.border, QPalette.Shadow: c.sidebar,
        QPalette.Accent: c.accent,
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        palette.setColor(QPalette.Disabled, role, QColor(c.muted))
    return palette


def font_of(size: str, bold: bool = False) -> QFont:
    """The application's font at a step of the type scale."""
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * TYPE_SCALE[size])
    font.setBold(bold)
    return font
