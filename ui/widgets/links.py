"""Album and artist links in rich-text labels (the player bar, the full-window player): how
they are written, and where a click on one goes."""

from __future__ import annotations

from html import escape


def link_html(key: str, text: str, colour: str) -> str:
    """`key` is "album:<album key>" or "artist:<name>"."""
    return f'<a href="{escape(key)}" style="color:{colour}; text-decoration:none">{escape(text)}</a>'


def follow(link: str, album_requested, artist_requested) -> None:
    """Emit the album's key or the artist's name on the signal that opens its page."""
    kind, _, key = link.partition(":")
    (album_requested if kind == "album" else artist_requested).emit(key)
