"""Now playing, full window: the cover large on a blurred wash of its own colours, the title,
the artist and album as links, and the lyrics beside it following the song. Opened from the
player bar's expand button (or Ctrl+Shift+N); Back or Escape returns."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.models import Track
from ui.theme import colours, font_of
from ui.theme.apply import themed
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.cover_images import colour_wash
from ui.widgets.links import follow, link_html
from ui.widgets.lyrics_view import LyricsView

COVER_MAX_PX = 520
MIN_COVER_PX = 160


class CoverArt(QWidget):
    """A square cover with rounded corners (sized by the view)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.image = QImage()
        self.side = MIN_COVER_PX  # what the view would like it to be (see its resizeEvent)
        self.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Maximum)  # up to `side`, and less

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(self.side, self.side)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(MIN_COVER_PX // 2, MIN_COVER_PX // 2)
        self.setAccessibleName("Cover art")

    def show_image(self, image: QImage | None) -> None:
        self.image = image if image is not None else QImage()
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        side = min(self.width(), self.height())
        box = QRectF(0, 0, side, side)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setRenderHint(QPainter.SmoothPixmapTransform)
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(colours().raised))
        painter.drawRoundedRect(box, COVER_RADIUS * 2, COVER_RADIUS * 2)
        if not self.image.isNull():
            path = QPainterPath()
            path.addRoundedRect(box, COVER_RADIUS * 2, COVER_RADIUS * 2)
            painter.setClipPath(path)
            painter.drawImage(box, self.image)
        painter.end()


class NowPlayingView(QWidget):
    album_requested = Signal(str)
    artist_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Now playing")
        self.track: Track | None = None
        self._wash = QPixmap()  # the cover blurred, behind everything
        self.cover = CoverArt()
        self.title = QLabel("Nothing playing")
        self.title.setAccessibleName("Now playing title")
        self.title.setFont(font_of("display", bold=True))
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setAccessibleName("Now playing artist and album")
        self.details.setFont(font_of("heading"))
        self.details.setWordWrap(True)
        for label in (self.title, self.details):
            label.setTextFormat(Qt.RichText)
            label.setTextInteractionFlags(Qt.LinksAccessibleByMouse | Qt.LinksAccessibleByKeyboard)
            label.linkActivated.connect(self._follow)
        self.lyrics = LyricsView(large=True)
        left = QVBoxLayout()
        left.setSpacing(SPACE * 2)
        left.addStretch(1)
        left.addWidget(self.cover)
        left.addSpacing(SPACE)
        left.addWidget(self.title)
        left.addWidget(self.details)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACE * 5, SPACE * 4, SPACE * 5, SPACE * 4)
        layout.setSpacing(SPACE * 5)
        layout.addLayout(left, 5)
        layout.addWidget(self.lyrics, 4)
        themed(self, lambda view, c: view._render())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        """The cover as large as the room allows: half the width, the height less the text."""
        side = max(MIN_COVER_PX, min(COVER_MAX_PX, self.width() // 2 - SPACE * 8, self.height() - 260))
        if side != self.cover.side:
            self.cover.side = side
            self.cover.updateGeometry()
        super().resizeEvent(event)

    def show_track(self, track: Track | None) -> None:
        self.track = track
        self._render()

    def show_image(self, image: QImage | None) -> None:
        self.cover.show_image(image)
        if image is None or image.isNull():
            self._wash = QPixmap()
        else:
            self._wash = QPixmap.fromImage(colour_wash(image))
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        painter = QPainter(self)
        c = colours()
        painter.fillRect(self.rect(), QColor(c.window))
        if not self._wash.isNull():
            painter.setRenderHint(QPainter.SmoothPixmapTransform)
            painter.setOpacity(0.35)
            painter.drawPixmap(self.rect(), self._wash)
            painter.setOpacity(1.0)
            veil = QColor(c.window)
            veil.setAlpha(120)  # text stays readable over any cover
            painter.fillRect(self.rect(), veil)
        painter.end()

    def _render(self) -> None:
        c = colours()
        track = self.track
        if track is None:
            self.title.setText("Nothing playing")
            self.details.setText("")
            return
        album_key = str(track.album_id) if track.album_id is not None else ""
        self.title.setText(f'<span style="color:{c.text}">{escape(track.title)}</span>')
        parts = []
        if track.artist:
            parts.append(link_html("artist:" + track.artist, track.artist, c.text))
        if track.album:
            parts.append(link_html("album:" + album_key, track.album, c.muted) if album_key
                         else escape(track.album))
        self.details.setText(" · ".join(parts))

    def _follow(self, link: str) -> None:
        follow(link, self.album_requested, self.artist_requested)
