"""Appearance settings the window applies: its theme."""

from __future__ import annotations

THEME_KEY = "ui.theme"
THEMES = ("system", "light", "dark")  # "system" follows the desktop's light or dark


def theme(value) -> str:
    return value if value in THEMES else "system"
