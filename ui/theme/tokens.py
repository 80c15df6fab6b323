"""The design language in numbers: colour roles for light and dark, one spacing unit, one type
scale. Every page takes its look from here (through the palette, the style sheet and the icons
built from it), never from colours of its own."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Colours:
    window: str        # the page behind everything
    sidebar: str       # the side column and the player bar
    surface: str       # cards, inputs, lists
    raised: str        # hovered cards and rows, buttons
    border: str        # hairlines between regions
    text: str
    muted: str         # secondary text (artist under a title, counts, times)
    accent: str        # the one colour: selection, the play button, switched-on modes
    on_accent: str     # text and icons on the accent


LIGHT = Colours(window="#f7f7f9", sidebar="#eeeef2", surface="#ffffff", raised="#e4e4ea",
                border="#d8d8df", text="#17171c", muted="#55555f", accent="#5b3fd6", on_accent="#ffffff")
DARK = Colours(window="#141416", sidebar="#0d0d0f", surface="#1c1c20", raised="#2a2a30",
               border="#2e2e35", text="#ededf1", muted="#a3a3ae", accent="#8f7bff", on_accent="#0d0d0f")

SPACE = 8  # px: margins and gaps are multiples of this

# Point sizes relative to the application's base font: one scale, named by use.
TYPE_SCALE = {"small": 0.9, "body": 1.0, "title": 1.1, "heading": 1.45, "display": 2.2}

COVER_RADIUS = 6  # px: covers and cards have these corners
