"""Now playing, at the left of the player bar: the cover, the title and the artist and album
as links to their pages, and the like button."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QTextDocumentFragment
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app.models import Track
from ui.theme import colours, font_of
from ui.theme.apply import style_sheet, themed
from ui.theme.icons import icon
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.cover_images import fitted_pixmap
from ui.widgets.links import follow, link_html

COVER_SIZE = 56


class NowPlaying(QWidget):
    album_requested = Signal(str)   # an album's key, for its page
    artist_requested = Signal(str)  # an artist's name
    like_toggled = Signal(int, bool)  # track id, liked now

    def __init__(self, parent=None):
        super().__init__(parent)
        self.shown_id: int | None = None  # the track the bar shows
        self.track: Track | None = None
        self.liked = False
        self.cover = QLabel()
        self.cover.setFixedSize(COVER_SIZE, COVER_SIZE)
        self.cover.setAlignment(Qt.AlignCenter)
        self.cover.setAccessibleName("Cover art")
        style_sheet(self.cover, lambda c: f"background: {c.raised}; border-radius: {COVER_RADIUS}px;")
        self.title = QLabel("Nothing playing")
        self.title.setAccessibleName("Now playing title")
        self.title.setFont(font_of("title", bold=True))
        self.artist = QLabel("")
        self.artist.setAccessibleName("Now playing artist and album")
        for label in (self.title, self.artist):
            label.setTextFormat(Qt.RichText)
            label.setTextInteractionFlags(Qt.LinksAccessibleByMouse | Qt.LinksAccessibleByKeyboard)
            label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # elided by the bar
            label.linkActivated.connect(self._follow)
        self.like_button = QToolButton()
        self.like_button.setAutoRaise(True)
        self.like_button.setVisible(False)
        self.like_button.clicked.connect(self._toggle_like)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addStretch(1)
        text.addWidget(self.title)
        text.addWidget(self.artist)
        text.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACE * 3 // 2)
        layout.addWidget(self.cover)
        layout.addLayout(text, 1)
        layout.addWidget(self.like_button)
        themed(self, lambda widget, c: widget._render())

    def show_track(self, track: Track | None) -> None:
        self.shown_id = track.id if track is not None else None
        self.track = track
        self.liked = bool(track.starred) if track is not None else False
        self._render()  # its cover comes through show_image, once read

    def title_text(self) -> str:
        """The title as the listener reads it (the label holds it as a link)."""
        return QTextDocumentFragment.fromHtml(self.title.text()).toPlainText()

    def show_liked(self, liked: bool) -> None:
        self.liked = liked
        self._render()

    def show_image(self, image: QImage | None) -> None:
        """The cover (read in a worker), or a note where there is none."""
        if image is None or image.isNull():
            self.cover.setPixmap(icon("note", colours().muted).pixmap(COVER_SIZE // 2, COVER_SIZE // 2))
            return
        self.cover.setPixmap(fitted_pixmap(image, COVER_SIZE, self.devicePixelRatioF()))

    def _render(self) -> None:
        c = colours()
        track = self.track
        self.like_button.setVisible(track is not None)
        if track is None:
            self.title.setText("Nothing playing")
            self.artist.setText("")
            self.setToolTip("")
            return
        album_key = str(track.album_id) if track.album_id is not None else ""
        self.title.setText(link_html("album:" + album_key, track.title, c.text) if album_key
                           else escape(track.title))
        parts = []
        if track.artist:
            parts.append(link_html("artist:" + track.artist, track.artist, c.muted))
        if track.album and album_key:
            parts.append(link_html("album:" + album_key, track.album, c.muted))
        self.artist.setText(f'<span style="color:{c.muted}">{" · ".join(parts)}</span>')
        self.setToolTip(" — ".join(part for part in (track.title, track.artist, track.album) if part))
        name = "Remove from Favourites" if self.liked else "Add to Favourites"
        self.like_button.setIcon(icon("liked", c.accent) if self.liked else icon("like", c.muted, c.text))
        self.like_button.setToolTip(name)
        self.like_button.setAccessibleName(name)

    def _follow(self, link: str) -> None:
        follow(link, self.album_requested, self.artist_requested)

    def _toggle_like(self) -> None:
        if self.track is None:
            return
        self.show_liked(not self.liked)
        self.like_toggled.emit(self.track.id, self.liked)

